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
        /// <summary>
        /// Binds arguments the way pwsh -File does: "-Name value" and "-Name:value" as named parameters,
        /// a "-Name" followed by another "-Name" (or nothing) as a switch, anything else by position.
        /// </summary>
        private static void AddArguments(PowerShell powershell, IReadOnlyList<string> arguments)
        {
            for (var i = 0; i < arguments.Count; i++)
            {
                var argument = arguments[i];
                if (argument.Length < 2 || argument[0] != '-' || char.IsDigit(argument[1]))
                {
                    powershell.AddArgument(argument);
                    continue;
                }

                var colon = argument.IndexOf(':');
                if (colon > 0)
                {
                    powershell.AddParameter(argument.Substring(1, colon - 1), argument.Substring(colon + 1));
                }
                else if (i + 1 < arguments.Count && !(arguments[i + 1].StartsWith("-", StringComparison.Ordinal) && arguments[i + 1].Length > 1 && !char.IsDigit(arguments[i + 1][1])))
                {
                    powershell.AddParameter(argument.Substring(1), arguments[++i]);
                }
                else
                {
                    powershell.AddParameter(argument.Substring(1));
                }
            }
        }

        /// <summary>
        /// The exit code, as pwsh would give it: for a file, 1 when an error ended the script, else what
        /// it passed to exit; for a command, also 1 when it wrote any error.
        /// </summary>
        public static int Run(TextHost host, string scriptOrPath, bool isFile, IReadOnlyList<string> arguments)
        {
            using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            using var powershell = PowerShell.Create();
            powershell.Runspace = runspace;
            if (isFile)
            {
                powershell.AddCommand(Path.GetFullPath(scriptOrPath));
                AddArguments(powershell, arguments);
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

            if (host.ExitCode != 0)
            {
                return host.ExitCode;
            }

            // "exit N" in a script file sets $LASTEXITCODE rather than asking the host to exit.
            using (var lastExitCode = PowerShell.Create())
            {
                lastExitCode.Runspace = runspace;
                var code = lastExitCode.AddScript("$global:LASTEXITCODE").Invoke();
                if (isFile && code.Count == 1 && code[0]?.BaseObject is int exit && exit != 0)
                {
                    return exit;
                }
            }

            return !isFile && powershell.HadErrors ? 1 : 0;
        }
    }
}
