using System.Management.Automation;
using AwsDevCmdlets.Core.S3;

namespace AwsDevCmdlets.Commands
{
    /// <summary>Lists the account's buckets, like `aws s3 ls` with no argument.</summary>
    [Cmdlet(VerbsCommon.Get, "DevS3Bucket")]
    [OutputType(typeof(S3BucketInfo))]
    public sealed class GetDevS3BucketCommand : AwsCmdletBase
    {
        protected override void ProcessRecord() => Run(async (output, cancellationToken) =>
        {
            using var s3 = new S3Service(await ResolveContextAsync(cancellationToken).ConfigureAwait(false));
            foreach (var bucket in await s3.ListBucketsAsync(cancellationToken).ConfigureAwait(false))
            {
                output.WriteObject(bucket);
            }
        });
    }
}
