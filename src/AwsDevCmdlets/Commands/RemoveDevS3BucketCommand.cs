using System.Management.Automation;
using AwsDevCmdlets.Core.S3;

namespace AwsDevCmdlets.Commands
{
    /// <summary>Deletes a bucket, like `aws s3 rb`; -Force first deletes every object and unfinished upload in it.</summary>
    [Cmdlet(VerbsCommon.Remove, "DevS3Bucket", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveDevS3BucketCommand : AwsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string BucketName { get; set; } = string.Empty;

        /// <summary>Empty the bucket first.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (!ShouldProcess($"s3://{BucketName}", Force ? "Delete every object, then the bucket" : "Delete bucket"))
            {
                return;
            }

            Run(async (output, cancellationToken) =>
            {
                S3Location.ValidateBucketName(BucketName, forCreation: false);
                using var s3 = new S3Service(await ResolveContextAsync(cancellationToken).ConfigureAwait(false));
                await s3.DeleteBucketAsync(BucketName, Force, output.WriteVerbose, cancellationToken).ConfigureAwait(false);
            });
        }
    }
}
