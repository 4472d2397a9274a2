using System;
using System.Globalization;

namespace AwsDevCmdlets.Core.Imds
{
    /// <summary>
    /// How to reach the instance metadata service, read from the settings every AWS SDK shares so that
    /// a machine configured for the AWS CLI behaves the same here.
    /// </summary>
    public sealed class ImdsOptions
    {
        public const string DefaultIpv4Endpoint = "http://169.254.169.254";
        public const string DefaultIpv6Endpoint = "http://[fd00:ec2::254]";

        public bool Disabled { get; set; }

        public Uri Endpoint { get; set; } = new Uri(DefaultIpv4Endpoint);

        /// <summary>Per attempt. One second by default, so that off EC2 nothing waits longer than that.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

        public int Attempts { get; set; } = 1;

        public int TokenTtlSeconds { get; set; } = 21600;

        /// <summary>Fall back to IMDSv1 (no token) only when asked to and only when the token call is refused.</summary>
        public bool AllowV1 { get; set; }

        public static ImdsOptions FromEnvironment()
        {
            var options = new ImdsOptions
            {
                Disabled = string.Equals(Env("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase),
            };

            var endpoint = Env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
            if (endpoint != null && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                options.Endpoint = uri;
            }
            else if (string.Equals(Env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), "IPv6", StringComparison.OrdinalIgnoreCase))
            {
                options.Endpoint = new Uri(DefaultIpv6Endpoint);
            }

            if (double.TryParse(Env("AWS_METADATA_SERVICE_TIMEOUT"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                options.Timeout = TimeSpan.FromSeconds(seconds);
            }

            if (int.TryParse(Env("AWS_METADATA_SERVICE_NUM_ATTEMPTS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var attempts) && attempts > 0)
            {
                options.Attempts = attempts;
            }

            return options;
        }

        private static string? Env(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }
    }
}
