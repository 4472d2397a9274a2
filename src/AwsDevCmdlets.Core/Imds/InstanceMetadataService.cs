using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets.Core.Imds
{
    /// <summary>The instance metadata service as typed values: a snapshot, single categories, raw paths.</summary>
    public sealed class InstanceMetadataService
    {
        private static readonly IReadOnlyDictionary<ImdsCategory, string> Paths = new Dictionary<ImdsCategory, string>
        {
            [ImdsCategory.InstanceId] = "meta-data/instance-id",
            [ImdsCategory.InstanceType] = "meta-data/instance-type",
            [ImdsCategory.ImageId] = "meta-data/ami-id",
            [ImdsCategory.Region] = "meta-data/placement/region",
            [ImdsCategory.AvailabilityZone] = "meta-data/placement/availability-zone",
            [ImdsCategory.AvailabilityZoneId] = "meta-data/placement/availability-zone-id",
            [ImdsCategory.LocalIpv4] = "meta-data/local-ipv4",
            [ImdsCategory.PublicIpv4] = "meta-data/public-ipv4",
            [ImdsCategory.Ipv6] = "meta-data/ipv6",
            [ImdsCategory.LocalHostname] = "meta-data/local-hostname",
            [ImdsCategory.PublicHostname] = "meta-data/public-hostname",
            [ImdsCategory.Hostname] = "meta-data/hostname",
            [ImdsCategory.MacAddress] = "meta-data/mac",
            [ImdsCategory.SecurityGroups] = "meta-data/security-groups",
            [ImdsCategory.IamRoleName] = "meta-data/iam/security-credentials/",
            [ImdsCategory.InstanceProfileArn] = "meta-data/iam/info",
            [ImdsCategory.InstanceLifeCycle] = "meta-data/instance-life-cycle",
            [ImdsCategory.AmiLaunchIndex] = "meta-data/ami-launch-index",
            [ImdsCategory.ReservationId] = "meta-data/reservation-id",
            [ImdsCategory.Tags] = "meta-data/tags/instance/",
            [ImdsCategory.SpotAction] = "meta-data/spot/instance-action",
            [ImdsCategory.AutoScalingTargetLifecycleState] = "meta-data/autoscaling/target-lifecycle-state",
        };

        private readonly ImdsClient _client;

        public InstanceMetadataService(ImdsClient client) => _client = client;

        /// <summary>The shared settings (AWS_EC2_METADATA_*, AWS_METADATA_SERVICE_*), with the cmdlet's overrides on top.</summary>
        public static ImdsOptions Options(string? endpoint, double? timeoutSeconds, bool allowV1)
        {
            var options = ImdsOptions.FromEnvironment();
            if (endpoint != null)
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw new AwsDevException(ErrorIds.InvalidEndpointUrl, ErrorKind.InvalidArgument, $"'{endpoint}' is not an absolute http URL.", endpoint);
                }

                options.Endpoint = uri;
            }

            if (timeoutSeconds is double seconds)
            {
                options.Timeout = TimeSpan.FromSeconds(seconds);
            }

            options.AllowV1 = allowV1;
            return options;
        }

        public string ImdsVersion => _client.ImdsVersion;

        /// <summary>Everything the snapshot shows, fetched at once over one token.</summary>
        public async Task<Ec2InstanceSnapshot> GetSnapshotAsync(CancellationToken cancellationToken)
        {
            // The token first, so that the concurrent reads share it instead of each asking for one.
            var instanceId = await RequiredAsync(ImdsCategory.InstanceId, cancellationToken).ConfigureAwait(false);
            var reads = new[]
            {
                ImdsCategory.InstanceType, ImdsCategory.ImageId, ImdsCategory.Region, ImdsCategory.AvailabilityZone, ImdsCategory.LocalIpv4,
                ImdsCategory.PublicIpv4, ImdsCategory.LocalHostname, ImdsCategory.PublicHostname, ImdsCategory.MacAddress, ImdsCategory.SecurityGroups,
                ImdsCategory.IamRoleName, ImdsCategory.SpotAction,
            }.ToDictionary(c => c, c => _client.GetStringAsync(Paths[c], cancellationToken));
            var profile = GetInstanceProfileArnAsync(cancellationToken);
            var tags = GetTagsAsync(cancellationToken);
            await Task.WhenAll(reads.Values.Cast<Task>().Concat(new Task[] { profile, tags })).ConfigureAwait(false);

            string? Value(ImdsCategory category) => reads[category].Result?.Trim() is { Length: > 0 } text ? text : null;
            return new Ec2InstanceSnapshot
            {
                InstanceId = instanceId,
                InstanceType = Value(ImdsCategory.InstanceType),
                ImageId = Value(ImdsCategory.ImageId),
                Region = Value(ImdsCategory.Region),
                AvailabilityZone = Value(ImdsCategory.AvailabilityZone),
                LocalIpv4 = Value(ImdsCategory.LocalIpv4),
                PublicIpv4 = Value(ImdsCategory.PublicIpv4),
                LocalHostname = Value(ImdsCategory.LocalHostname),
                PublicHostname = Value(ImdsCategory.PublicHostname),
                MacAddress = Value(ImdsCategory.MacAddress),
                SecurityGroups = Lines(Value(ImdsCategory.SecurityGroups)),
                IamRoleName = Lines(Value(ImdsCategory.IamRoleName)).FirstOrDefault(),
                InstanceProfileArn = profile.Result,
                Tags = tags.Result,
                SpotAction = Value(ImdsCategory.SpotAction),
                ImdsVersion = _client.ImdsVersion,
                Endpoint = _client.Options.Endpoint.ToString(),
            };
        }

        /// <summary>One category: a string, a string[] for lists, a dictionary for tags; null when the instance has none.</summary>
        public async Task<object?> GetCategoryAsync(ImdsCategory category, CancellationToken cancellationToken)
        {
            switch (category)
            {
                case ImdsCategory.Tags:
                    return await GetTagsAsync(cancellationToken).ConfigureAwait(false);
                case ImdsCategory.InstanceProfileArn:
                    return await GetInstanceProfileArnAsync(cancellationToken).ConfigureAwait(false);
                case ImdsCategory.SecurityGroups:
                    return Lines(await _client.GetStringAsync(Paths[category], cancellationToken).ConfigureAwait(false));
                case ImdsCategory.IamRoleName:
                    return Lines(await _client.GetStringAsync(Paths[category], cancellationToken).ConfigureAwait(false)).FirstOrDefault();
                default:
                    var value = (await _client.GetStringAsync(Paths[category], cancellationToken).ConfigureAwait(false))?.Trim();
                    return string.IsNullOrEmpty(value) ? null : value;
            }
        }

        /// <summary>Any path below /latest/, raw; null when the service answers 404.</summary>
        public Task<string?> GetPathAsync(string path, CancellationToken cancellationToken) =>
            _client.GetStringAsync(NormalizePath(path), cancellationToken);

        public Task<string?> GetUserDataAsync(CancellationToken cancellationToken) => _client.GetStringAsync("user-data", cancellationToken);

        public async Task<Ec2IdentityDocument> GetIdentityDocumentAsync(CancellationToken cancellationToken)
        {
            var documentTask = _client.GetStringAsync("dynamic/instance-identity/document", cancellationToken);
            var signatureTask = _client.GetStringAsync("dynamic/instance-identity/signature", cancellationToken);
            var text = await documentTask.ConfigureAwait(false)
                ?? throw new AwsDevException(ErrorIds.ObjectNotFound, ErrorKind.ObjectNotFound, "The metadata service has no instance identity document.", "dynamic/instance-identity/document");
            try
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                return new Ec2IdentityDocument
                {
                    AccountId = Text(root, "accountId") ?? string.Empty,
                    InstanceId = Text(root, "instanceId") ?? string.Empty,
                    InstanceType = Text(root, "instanceType"),
                    ImageId = Text(root, "imageId"),
                    Region = Text(root, "region"),
                    AvailabilityZone = Text(root, "availabilityZone"),
                    PrivateIp = Text(root, "privateIp"),
                    Architecture = Text(root, "architecture"),
                    PendingTime = DateTime.TryParse(Text(root, "pendingTime"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var pending) ? pending : (DateTime?)null,
                    Version = Text(root, "version"),
                    KernelId = Text(root, "kernelId"),
                    RamdiskId = Text(root, "ramdiskId"),
                    BillingProducts = Strings(root, "billingProducts"),
                    MarketplaceProductCodes = Strings(root, "marketplaceProductCodes"),
                    Signature = (await signatureTask.ConfigureAwait(false))?.Trim(),
                    Document = text,
                };
            }
            catch (JsonException e)
            {
                throw new AwsDevException(ErrorIds.AwsRequestFailed, ErrorKind.InvalidData, $"The instance identity document is not valid JSON: {e.Message}", "dynamic/instance-identity/document", e);
            }
        }

        /// <summary>The role's credentials; the secret and token masked unless <paramref name="includeSecret"/>.</summary>
        public async Task<Ec2RoleCredential> GetRoleCredentialAsync(bool includeSecret, CancellationToken cancellationToken)
        {
            var role = await InstanceProfileCredentials.FindRoleAsync(_client, cancellationToken).ConfigureAwait(false)
                ?? throw new AwsDevException(ErrorIds.ObjectNotFound, ErrorKind.ObjectNotFound,
                    "No IAM role is attached to this instance (meta-data/iam/security-credentials/ is empty).", "meta-data/iam/security-credentials/");
            var json = await _client.GetStringAsync("meta-data/iam/security-credentials/" + role, cancellationToken).ConfigureAwait(false)
                ?? throw new AwsDevException(ErrorIds.ObjectNotFound, ErrorKind.ObjectNotFound, $"The metadata service has no credentials for role '{role}'.", role);
            var document = RoleCredentialDocument.Parse(json);
            return new Ec2RoleCredential
            {
                RoleName = role,
                AccessKeyId = document.AccessKeyId,
                SecretAccessKey = includeSecret ? document.SecretAccessKey : Secrets.Masked,
                Token = includeSecret ? document.Token : Secrets.Masked,
                Expiration = document.Expiration == DateTime.MinValue ? (DateTime?)null : document.Expiration,
                Code = document.Code,
                LastUpdated = document.LastUpdated == DateTime.MinValue ? (DateTime?)null : document.LastUpdated,
                SecretsIncluded = includeSecret,
            };
        }

        private async Task<string> RequiredAsync(ImdsCategory category, CancellationToken cancellationToken) =>
            (await _client.GetStringAsync(Paths[category], cancellationToken).ConfigureAwait(false))?.Trim()
            ?? throw new AwsDevException(ErrorIds.ImdsUnavailable, ErrorKind.InvalidData, $"The metadata service answered but has no {Paths[category]}: it does not look like EC2's.", Paths[category]);

        private async Task<string?> GetInstanceProfileArnAsync(CancellationToken cancellationToken)
        {
            var info = await _client.GetStringAsync("meta-data/iam/info", cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(info))
            {
                return null;
            }

            try
            {
                using var json = JsonDocument.Parse(info!);
                return Text(json.RootElement, "InstanceProfileArn");
            }
            catch (JsonException)
            {
                return null;
            }
        }

        // Tags are listed only when the instance allows it (InstanceMetadataTags=enabled); otherwise 404.
        private async Task<IDictionary<string, string>?> GetTagsAsync(CancellationToken cancellationToken)
        {
            var listing = await _client.GetStringAsync("meta-data/tags/instance/", cancellationToken).ConfigureAwait(false);
            if (listing is null)
            {
                return null;
            }

            var keys = Lines(listing);
            var values = await Task.WhenAll(keys.Select(k => _client.GetStringAsync("meta-data/tags/instance/" + k, cancellationToken))).ConfigureAwait(false);
            var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                tags[keys[i]] = values[i] ?? string.Empty;
            }

            return tags;
        }

        private static string NormalizePath(string path)
        {
            var trimmed = path.Trim().TrimStart('/');
            return trimmed.StartsWith("latest/", StringComparison.Ordinal) ? trimmed.Substring("latest/".Length) : trimmed;
        }

        public static string[] Lines(string? text) =>
            text is null ? Array.Empty<string>() : text.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

        private static string? Text(JsonElement root, string name) => JsonText.String(root, name);

        private static string[] Strings(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToArray()
                : Array.Empty<string>();
    }
}
