using System;
using System.IO;
using System.Management.Automation;
using AwsDevCmdlets.Core.Policy;

namespace AwsDevCmdlets.Commands
{
    /// <summary>Reads policy documents from files, checked and named after the file, for Test-DevPolicy.</summary>
    [Cmdlet(VerbsCommunications.Read, "DevPolicy")]
    [OutputType(typeof(DevPolicy))]
    public sealed class ReadDevPolicyCommand : DevCmdletBase
    {
        /// <summary>Policy files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var pattern in Path)
            {
                System.Collections.ObjectModel.Collection<string> files;
                try
                {
                    files = SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out _);
                }
                catch (ItemNotFoundException e)
                {
                    WriteError(ErrorRecords.From(new AwsDevException(ErrorIds.LocalPathNotFound, ErrorKind.ObjectNotFound, $"'{pattern}' does not exist.", pattern, e), pattern));
                    continue;
                }

                foreach (var file in files)
                {
                    try
                    {
                        var json = File.ReadAllText(file);
                        var name = System.IO.Path.GetFileNameWithoutExtension(file);
                        PolicyInput.Document(json, name);
                        WriteObject(new DevPolicy { Name = name, Path = file, Json = json });
                    }
                    catch (AwsDevException e)
                    {
                        WriteError(ErrorRecords.From(e, file));
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        WriteError(ErrorRecords.From(new AwsDevException(ErrorIds.LocalPathNotFound, ErrorKind.InvalidData, e.Message, file, e), file));
                    }
                }
            }
        }
    }
}
