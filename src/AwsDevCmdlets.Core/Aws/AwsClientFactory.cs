using System;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets.Core
{
    /// <summary>Builds SDK clients from a resolved context, with one retry policy for the whole module.</summary>
    public static class AwsClientFactory
    {
        /// <summary>
        /// Attempts per request, the first included. The SDK's standard retry mode backs off
        /// exponentially with full jitter on throttling, 5xx and connection faults.
        /// </summary>
        public const int MaxAttempts = 5;

        public static AmazonSecurityTokenServiceClient CreateSts(AwsContext context) =>
            new AmazonSecurityTokenServiceClient(context.Credentials, Configure(new AmazonSecurityTokenServiceConfig(), context));

        public static AmazonS3Client CreateS3(AwsContext context)
        {
            var config = Configure(new AmazonS3Config(), context);
            // S3-compatible and local endpoints rarely resolve bucket.host names: address them by path.
            config.ForcePathStyle = context.EndpointUrl != null;
            return new AmazonS3Client(context.Credentials, config);
        }

        internal static T Configure<T>(T config, AwsContext context) where T : ClientConfig
        {
            config.RetryMode = RequestRetryMode.Standard;
            config.MaxErrorRetry = MaxAttempts - 1;
            if (context.EndpointUrl != null)
            {
                // An explicit endpoint (a local emulator, an S3-compatible store, a VPC endpoint) wins over
                // the region's; the region still signs the requests.
                config.ServiceURL = context.EndpointUrl;
                config.AuthenticationRegion = context.Region;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(context.Region);
            }

            return config;
        }
    }
}
