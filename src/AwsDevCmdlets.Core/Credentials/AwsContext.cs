using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsDevCmdlets.Core.Credentials
{
    /// <summary>
    /// Everything a call to AWS needs, resolved once: the credentials, the region, the endpoint, and
    /// where each came from. Its ToString never shows a secret.
    /// </summary>
    public sealed class AwsContext
    {
        internal AwsContext(AWSCredentials credentials, CredentialSource source, string sourceDetail, string? profileName,
            string region, RegionSource regionSource, string? endpointUrl)
        {
            Credentials = credentials;
            Source = source;
            SourceDetail = sourceDetail;
            ProfileName = profileName;
            Region = region;
            RegionSource = regionSource;
            EndpointUrl = endpointUrl;
        }

        public AWSCredentials Credentials { get; }

        public CredentialSource Source { get; }

        public string SourceDetail { get; }

        public string? ProfileName { get; }

        public string Region { get; }

        public RegionSource RegionSource { get; }

        public string? EndpointUrl { get; }

        /// <summary>
        /// Fetches the credentials now (which runs a credential process or calls STS for a role) and
        /// describes them without their secrets.
        /// </summary>
        public async Task<DevCredentialInfo> DescribeAsync(CancellationToken cancellationToken)
        {
            var immutable = await FetchAsync(cancellationToken).ConfigureAwait(false);
            return new DevCredentialInfo
            {
                Source = Source,
                SourceDetail = SourceDetail,
                ProfileName = ProfileName,
                AccessKeyId = Secrets.MaskAccessKey(immutable.AccessKey),
                IsTemporary = immutable.UseToken,
                Expiration = (Credentials as RefreshingAWSCredentials)?.Expiration?.ToUniversalTime(),
                Region = Region,
                RegionSource = RegionSource,
                EndpointUrl = EndpointUrl,
            };
        }

        public async Task<ImmutableCredentials> FetchAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await Credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is AwsDevException))
            {
                throw AwsErrors.Translate(e, $"Could not get credentials from {Describe()}", this);
            }
        }

        private string Describe() => ProfileName != null ? $"{Source} (profile '{ProfileName}')" : Source.ToString();

        public override string ToString() => $"{Describe()}, region {Region} ({RegionSource})" + (EndpointUrl != null ? $", endpoint {EndpointUrl}" : string.Empty);
    }
}
