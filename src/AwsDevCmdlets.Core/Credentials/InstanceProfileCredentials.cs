using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AwsDevCmdlets.Core.Imds;

namespace AwsDevCmdlets.Core.Credentials
{
    /// <summary>
    /// The instance role's temporary credentials, refreshed by the SDK's own RefreshingAWSCredentials
    /// machinery but fetched through <see cref="ImdsClient"/>, so they honour the same endpoint, timeout
    /// and fast failure as every other metadata call in the module.
    /// </summary>
    public sealed class InstanceProfileCredentials : RefreshingAWSCredentials
    {
        // One per endpoint and role for the process, as the SDK keeps one instance profile provider: the
        // credentials are cached until shortly before they expire instead of fetched on every call.
        private static readonly ConcurrentDictionary<string, InstanceProfileCredentials> Shared = new ConcurrentDictionary<string, InstanceProfileCredentials>();

        private readonly ImdsClient _imds;

        public static InstanceProfileCredentials For(ImdsClient imds, string roleName) =>
            Shared.GetOrAdd(imds.Options.Endpoint + "|" + roleName, _ => new InstanceProfileCredentials(imds, roleName));

        private InstanceProfileCredentials(ImdsClient imds, string roleName)
        {
            _imds = imds;
            RoleName = roleName;
        }

        public string RoleName { get; }

        /// <summary>The role attached to the instance, or null when the instance has none.</summary>
        public static async Task<string?> FindRoleAsync(ImdsClient imds, CancellationToken cancellationToken)
        {
            var listing = await imds.GetStringAsync("meta-data/iam/security-credentials/", cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(listing))
            {
                return null;
            }

            return listing!.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries)[0].Trim();
        }

        protected override CredentialsRefreshState GenerateNewCredentials() =>
            // The SDK's synchronous path; HttpClient work inside is bounded by the IMDS timeout.
            Task.Run(GenerateNewCredentialsAsync).GetAwaiter().GetResult();

        protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
        {
            var json = await _imds.GetStringAsync("meta-data/iam/security-credentials/" + RoleName, CancellationToken.None).ConfigureAwait(false)
                ?? throw new AwsDevException(ErrorIds.CredentialResolutionFailed, ErrorKind.ObjectNotFound,
                    $"The instance metadata service has no credentials for role '{RoleName}'.", RoleName);
            var document = RoleCredentialDocument.Parse(json);
            if (!string.Equals(document.Code, "Success", StringComparison.OrdinalIgnoreCase))
            {
                throw new AwsDevException(ErrorIds.CredentialResolutionFailed, ErrorKind.AuthenticationError,
                    $"The instance metadata service reports code '{document.Code}' for role '{RoleName}'.", RoleName);
            }

            return new CredentialsRefreshState(
                new ImmutableCredentials(document.AccessKeyId, document.SecretAccessKey, document.Token),
                document.Expiration);
        }
    }

    /// <summary>The JSON the metadata service returns under iam/security-credentials/ROLE.</summary>
    public sealed class RoleCredentialDocument
    {
        public string Code { get; private set; } = string.Empty;

        public DateTime LastUpdated { get; private set; }

        public string AccessKeyId { get; private set; } = string.Empty;

        public string SecretAccessKey { get; private set; } = string.Empty;

        public string Token { get; private set; } = string.Empty;

        public DateTime Expiration { get; private set; }

        public static RoleCredentialDocument Parse(string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                return new RoleCredentialDocument
                {
                    Code = Text(root, "Code"),
                    LastUpdated = Date(root, "LastUpdated"),
                    AccessKeyId = Text(root, "AccessKeyId"),
                    SecretAccessKey = Text(root, "SecretAccessKey"),
                    Token = Text(root, "Token"),
                    Expiration = Date(root, "Expiration"),
                };
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
            {
                // The message of a JSON error can quote the document, and the document holds the secret.
                throw new AwsDevException(ErrorIds.CredentialResolutionFailed, ErrorKind.InvalidData,
                    "The instance metadata service returned a role credential document that is not valid JSON.", null);
            }
        }

        private static string Text(JsonElement root, string name) => JsonText.String(root, name) ?? string.Empty;

        private static DateTime Date(JsonElement root, string name)
        {
            var text = Text(root, name);
            return text.Length == 0
                ? DateTime.MinValue
                : DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }
    }
}
