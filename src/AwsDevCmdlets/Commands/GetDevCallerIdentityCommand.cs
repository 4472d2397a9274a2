using System.Management.Automation;
using AwsDevCmdlets.Core;

namespace AwsDevCmdlets.Commands
{
    /// <summary>Asks STS who the resolved credentials belong to (GetCallerIdentity needs no permission).</summary>
    [Cmdlet(VerbsCommon.Get, "DevCallerIdentity")]
    [OutputType(typeof(DevCallerIdentity))]
    public sealed class GetDevCallerIdentityCommand : AwsCmdletBase
    {
        protected override void ProcessRecord() => Run(async (output, cancellationToken) =>
        {
            var context = await ResolveContextAsync(cancellationToken).ConfigureAwait(false);
            output.WriteVerbose($"Calling STS GetCallerIdentity with credentials from {context.Source} in {context.Region}.");
            output.WriteObject(await CallerIdentityService.GetAsync(context, cancellationToken).ConfigureAwait(false));
        }, terminating: true);
    }
}
