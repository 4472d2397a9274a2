using System.Management.Automation;
using AwsDevCmdlets.Core.S3;

namespace AwsDevCmdlets.Commands
{
    /// <summary>Creates a bucket in the resolved region, like `aws s3 mb`.</summary>
    [Cmdlet(VerbsCommon.New, "DevS3Bucket", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(S3BucketInfo))]
    public sealed class NewDevS3BucketCommand : AwsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string BucketName { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            if (!ShouldProcess($"s3://{BucketName}", "Create bucket"))
            {
                return;
            }

            Run(async (output, cancellationToken) =>
            {
                using var s3 = new S3Service(await ResolveContextAsync(cancellationToken).ConfigureAwait(false));
                output.WriteObject(await s3.CreateBucketAsync(BucketName, cancellationToken).ConfigureAwait(false));
            });
        }
    }
}
