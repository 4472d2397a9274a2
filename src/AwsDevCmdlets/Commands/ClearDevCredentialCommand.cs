using System.Management.Automation;

namespace AwsDevCmdlets.Commands
{
    /// <summary>Removes this runspace's session defaults; later calls fall back to the default chain.</summary>
    [Cmdlet(VerbsCommon.Clear, "DevCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class ClearDevCredentialCommand : DevCmdletBase
    {
        protected override void ProcessRecord()
        {
            if (CurrentRunspace is null || !ShouldProcess("the session defaults of this runspace", "Clear"))
            {
                return;
            }

            WriteVerbose(SessionDefaults.Clear(CurrentRunspace)
                ? "Session defaults cleared."
                : "There were no session defaults to clear.");
        }
    }
}
