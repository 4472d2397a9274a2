using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AwsDevCmdlets.Host
{
    /// <summary>Runs script text or a script file in a fresh runspace and prints it as a console would.</summary>
    public static class ScriptRunner
    {
        /// <summary>Returns 0 when the script wrote no error and did not fail; 1 otherwise.</summary>
        public static int Run(TextHost host, string scriptOrPath, bool isFile, IReadOnlyList<string> arguments)
        {
            using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            using var powershell = PowerShell.Create();
            powershell.Runspace = runspace;
            if (isFile)
            {
                powershell.AddCommand(Path.GetFullPath(scriptOrPath));
                foreach (var argument in arguments)
                {
                    powershell.AddArgument(argument);
                }
            }
            else
            {
                powershell.AddScript(scriptOrPath);
            }

            // Errors go through the formatter with the output, in order, as at a prompt.
            powershell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            powershell.AddCommand("Out-Default");
            try
            {
                powershell.Invoke();
            }
            catch (RuntimeException e)
            {
                host.UI.WriteErrorLine(e.ErrorRecord?.ToString() ?? e.Message);
                return 1;
            }

            return powershell.HadErrors || host.ExitCode != 0 ? Math.Max(1, host.ExitCode) : 0;
        }
    }
}
