using System.Management.Automation;
using System.Threading.Tasks;
using AwsDevCmdlets.Core.S3;

namespace AwsDevCmdlets.Commands
{
    /// <summary>
    /// Lists objects like `aws s3 ls`, writing each as its page arrives, so that the first results show
    /// at once and Select-Object -First stops the listing; or, with -Key, one object's metadata.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DevS3Object", DefaultParameterSetName = BucketSet)]
    [OutputType(typeof(S3ObjectInfo), typeof(S3PrefixInfo))]
    public sealed class GetDevS3ObjectCommand : AwsCmdletBase
    {
        private const string BucketSet = "Bucket";
        private const string KeySet = "Key";
        private const string UriSet = "Uri";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = BucketSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = KeySet)]
        [ValidateNotNullOrEmpty]
        public string BucketName { get; set; } = string.Empty;

        [Parameter(Position = 1, ParameterSetName = BucketSet)]
        [AllowEmptyString]
        public string Prefix { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = KeySet)]
        [ValidateNotNullOrEmpty]
        public string Key { get; set; } = string.Empty;

        /// <summary>s3://bucket/prefix</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = UriSet)]
        [ValidateNotNullOrEmpty]
        public string Uri { get; set; } = string.Empty;

        /// <summary>Groups keys by this character, as folders; "/" in practice.</summary>
        [Parameter(ParameterSetName = BucketSet)]
        [Parameter(ParameterSetName = UriSet)]
        [ValidateNotNullOrEmpty]
        public string? Delimiter { get; set; }

        protected override void ProcessRecord() => Run(async (output, cancellationToken) =>
        {
            var location = ParameterSetName == UriSet ? S3Location.Parse(Uri) : new S3Location(BucketName, ParameterSetName == KeySet ? Key : Prefix);
            if (ParameterSetName != UriSet)
            {
                S3Location.ValidateBucketName(BucketName, forCreation: false);
            }

            using var s3 = new S3Service(await ResolveContextAsync(cancellationToken).ConfigureAwait(false));
            if (ParameterSetName == KeySet)
            {
                output.WriteObject(await s3.HeadAsync(location.Bucket, location.Key, cancellationToken).ConfigureAwait(false));
                return;
            }

            await s3.ListAsync(location.Bucket, location.Key, Delimiter, item =>
            {
                output.WriteObject(item);
                return Task.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
        });
    }
}
