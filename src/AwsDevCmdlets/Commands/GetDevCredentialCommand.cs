using System.Management.Automation;

namespace AwsDevCmdlets.Commands
{
    /// <summary>
    /// Resolves, now, the credentials, region and endpoint a cmdlet of this module would use, and says
    /// where each came from. The secret key and session token are never shown.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DevCredential")]
    [OutputType(typeof(DevCredentialInfo))]
    public sealed class GetDevCredentialCommand : AwsCmdletBase
    {
        protected override void ProcessRecord() => Run(async (output, cancellationToken) =>
        {
            var context = await ResolveContextAsync(cancellationToken).ConfigureAwait(false);
            output.WriteVerbose($"Credentials: {context.Source} ({context.SourceDetail}); region {context.Region} ({context.RegionSource}).");
            output.WriteObject(await context.DescribeAsync(cancellationToken).ConfigureAwait(false));
        }, terminating: true);
    }
}
