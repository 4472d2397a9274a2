using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.CredentialManagement.Internal;
using AwsDevCmdlets.Core.Imds;

namespace AwsDevCmdlets.Core.Credentials
{
    /// <summary>
    /// The one credential and region resolver behind every cmdlet: the cmdlet's parameters, then the
    /// session defaults, then the default chain. Each step uses the SDK's own credential classes and
    /// profile store; this class only fixes the order (the SDK's chain cannot say which step won, nor
    /// refuse to fall through when a named profile is missing) and keeps the instance metadata probe
    /// fast off EC2.
    /// </summary>
    public sealed class AwsContextResolver
    {
        public const string DefaultRegion = "us-east-1";
        private const string DefaultProfileName = "default";

        private readonly Func<ImdsOptions> _imdsOptions;

        public AwsContextResolver(Func<ImdsOptions>? imdsOptions = null)
        {
            _imdsOptions = imdsOptions ?? ImdsOptions.FromEnvironment;
        }

        public async Task<AwsContext> ResolveAsync(CredentialSettings parameters, CredentialSettings? session, CancellationToken cancellationToken)
        {
            parameters.Validate("Parameters");
            session ??= new CredentialSettings();
            var profiles = ProfileStore.Open();
            var imds = new Lazy<ImdsClient>(() => ImdsClient.For(_imdsOptions()));

            var credentials = await ResolveCredentialsAsync(parameters, session, profiles, imds, cancellationToken).ConfigureAwait(false);
            var (region, regionSource) = await ResolveRegionAsync(parameters, session, profiles, imds, cancellationToken).ConfigureAwait(false);
            var endpoint = parameters.EndpointUrl ?? session.EndpointUrl;
            return new AwsContext(credentials.Credentials, credentials.Source, credentials.Detail, credentials.ProfileName, region, regionSource, endpoint);
        }

        /// <summary>Checks that a profile exists, for Set-DevCredential, without fetching its credentials.</summary>
        public static void EnsureProfileExists(string profileName) => FindProfile(ProfileStore.Open(), profileName, required: true);

        /// <summary>Every profile name in the shared files (and, on Windows, the SDK store), for tab completion.</summary>
        public static IReadOnlyList<string> ListProfileNames() => ProfileStore.Open().ListProfileNames();

        public static IReadOnlyList<string> ListRegionNames() =>
            Amazon.RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName).OrderBy(n => n, StringComparer.Ordinal).ToList();

        private async Task<Found> ResolveCredentialsAsync(CredentialSettings parameters, CredentialSettings session,
            ProfileStore profiles, Lazy<ImdsClient> imds, CancellationToken cancellationToken)
        {
            if (parameters.HasKeys)
            {
                return new Found(Keys(parameters), CredentialSource.Parameter, "access key given as a parameter", null);
            }

            if (parameters.ProfileName != null)
            {
                return FromProfile(profiles, parameters.ProfileName, "-ProfileName parameter", required: true)!;
            }

            if (session.HasKeys)
            {
                return new Found(Keys(session), CredentialSource.Session, "access key set with Set-DevCredential", null);
            }

            if (session.ProfileName != null)
            {
                return FromProfile(profiles, session.ProfileName, "profile set with Set-DevCredential", required: true)!;
            }

            var tried = new List<string> { "no -ProfileName or -Credential parameter", "no session defaults (Set-DevCredential)" };

            var accessKey = Env("AWS_ACCESS_KEY_ID");
            var secretKey = Env("AWS_SECRET_ACCESS_KEY") ?? Env("AWS_SECRET_KEY");
            if (accessKey != null || secretKey != null)
            {
                if (accessKey == null || secretKey == null)
                {
                    throw new AwsDevException(ErrorIds.InvalidCredentialParameters, ErrorKind.InvalidArgument,
                        accessKey == null
                            ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both or neither."
                            : $"AWS_ACCESS_KEY_ID ({Secrets.MaskAccessKey(accessKey)}) is set but AWS_SECRET_ACCESS_KEY is not; set both or neither.",
                        "AWS_ACCESS_KEY_ID");
                }

                return new Found(new EnvironmentVariablesAWSCredentials(), CredentialSource.Environment, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", null);
            }

            tried.Add("AWS_ACCESS_KEY_ID not set");

            var envProfile = Env("AWS_PROFILE");
            if (envProfile != null)
            {
                return FromProfile(profiles, envProfile, "AWS_PROFILE", required: true)!;
            }

            var defaultProfile = FromProfile(profiles, DefaultProfileName, "the default profile", required: false);
            if (defaultProfile != null)
            {
                return defaultProfile;
            }

            tried.Add($"no usable '{DefaultProfileName}' profile in {profiles.Description}");

            if (Env("AWS_WEB_IDENTITY_TOKEN_FILE") != null && Env("AWS_ROLE_ARN") != null)
            {
                return new Found(AssumeRoleWithWebIdentityCredentials.FromEnvironmentVariables(), CredentialSource.WebIdentity,
                    "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN", null);
            }

            tried.Add("AWS_WEB_IDENTITY_TOKEN_FILE not set");

            if (Env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null || Env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null)
            {
                return new Found(new GenericContainerCredentials(), CredentialSource.Container,
                    Env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" : "AWS_CONTAINER_CREDENTIALS_FULL_URI", null);
            }

            tried.Add("no container credentials URI");

            var client = imds.Value;
            if (client.Options.Disabled)
            {
                tried.Add("instance metadata disabled (AWS_EC2_METADATA_DISABLED)");
            }
            else
            {
                try
                {
                    var role = await InstanceProfileCredentials.FindRoleAsync(client, cancellationToken).ConfigureAwait(false);
                    if (role != null)
                    {
                        return new Found(InstanceProfileCredentials.For(client, role), CredentialSource.InstanceProfile,
                            $"instance role '{role}' from the metadata service at {client.Options.Endpoint}", null);
                    }

                    tried.Add($"no role attached to this instance ({client.Options.Endpoint})");
                }
                catch (AwsDevException e) when (e.ErrorId == ErrorIds.ImdsUnavailable)
                {
                    tried.Add($"instance metadata unavailable at {client.Options.Endpoint}");
                }
            }

            throw new AwsDevException(ErrorIds.NoCredentials, ErrorKind.AuthenticationError,
                "No AWS credentials were found. Tried: " + string.Join("; ", tried) +
                ". Pass -ProfileName or -Credential, run Set-DevCredential, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", null);
        }

        private async Task<(string Region, RegionSource Source)> ResolveRegionAsync(CredentialSettings parameters, CredentialSettings session,
            ProfileStore profiles, Lazy<ImdsClient> imds, CancellationToken cancellationToken)
        {
            if (parameters.Region != null)
            {
                return (parameters.Region, RegionSource.Parameter);
            }

            if (session.Region != null)
            {
                return (session.Region, RegionSource.Session);
            }

            var envRegion = Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION");
            if (envRegion != null)
            {
                return (envRegion, RegionSource.Environment);
            }

            // The profile in force names the region even when the keys came from elsewhere, as in the AWS CLI.
            var profileName = parameters.ProfileName ?? session.ProfileName ?? Env("AWS_PROFILE") ?? DefaultProfileName;
            if (profiles.TryGetProfile(profileName, out var profile) && profile.Region != null)
            {
                return (profile.Region.SystemName, RegionSource.Profile);
            }

            var client = imds.Value;
            if (!client.Options.Disabled)
            {
                try
                {
                    var region = await client.GetStringAsync("meta-data/placement/region", cancellationToken).ConfigureAwait(false);
                    if (!string.IsNullOrWhiteSpace(region))
                    {
                        return (region!.Trim(), RegionSource.InstanceMetadata);
                    }
                }
                catch (AwsDevException e) when (e.ErrorId == ErrorIds.ImdsUnavailable)
                {
                    // Off EC2: the default below is the answer, and the client remembers not to ask again soon.
                }
            }

            return (DefaultRegion, RegionSource.Default);
        }

        private static Found? FromProfile(ProfileStore profiles, string name, string namedBy, bool required)
        {
            var profile = FindProfile(profiles, name, required);
            if (profile == null)
            {
                return null;
            }

            var type = CredentialProfileTypeDetector.DetectProfileType(profile.Options);
            if (type == null || !profile.CanCreateAWSCredentials)
            {
                if (!required)
                {
                    return null;
                }

                throw new AwsDevException(ErrorIds.CredentialResolutionFailed, ErrorKind.InvalidData,
                    $"Profile '{name}' ({namedBy}) holds no usable credentials: it needs aws_access_key_id and aws_secret_access_key, " +
                    "role_arn with source_profile or credential_source, credential_process, web_identity_token_file, or sso_* settings.", name);
            }

            AWSCredentials credentials;
            try
            {
                credentials = profile.GetAWSCredentials(profiles);
            }
            catch (Exception e)
            {
                throw AwsErrors.Translate(e, $"Profile '{name}' ({namedBy}) could not be used", name);
            }

            return new Found(credentials, SourceOf(type.Value), $"{namedBy}; profile '{name}' in {profiles.Description}", name);
        }

        private static CredentialProfile? FindProfile(ProfileStore profiles, string name, bool required)
        {
            if (profiles.TryGetProfile(name, out var profile))
            {
                return profile;
            }

            if (!required)
            {
                return null;
            }

            throw new AwsDevException(ErrorIds.ProfileNotFound, ErrorKind.ObjectNotFound,
                $"Profile '{name}' was not found in {profiles.Description}. Profiles found: " +
                (profiles.ListProfileNames() is var names && names.Count > 0 ? string.Join(", ", names) : "none") + ".", name);
        }

        private static CredentialSource SourceOf(CredentialProfileType type)
        {
            switch (type)
            {
                case CredentialProfileType.CredentialProcess:
                    return CredentialSource.Process;
                case CredentialProfileType.SSO:
                    return CredentialSource.Sso;
                case CredentialProfileType.AssumeRoleWithWebIdentity:
                case CredentialProfileType.AssumeRoleWithWebIdentitySessionName:
                    return CredentialSource.WebIdentity;
                case CredentialProfileType.Basic:
                case CredentialProfileType.Session:
                case CredentialProfileType.Login:
                    return CredentialSource.Profile;
                default:
                    // Every AssumeRole* and SAML variant is a role assumed through STS.
                    return CredentialSource.AssumeRole;
            }
        }

        private static AWSCredentials Keys(CredentialSettings settings) =>
            string.IsNullOrEmpty(settings.SessionToken)
                ? new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey)
                : (AWSCredentials)new SessionAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey, settings.SessionToken);

        private static string? Env(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }

        private sealed class Found
        {
            public Found(AWSCredentials credentials, CredentialSource source, string detail, string? profileName)
            {
                Credentials = credentials;
                Source = source;
                Detail = detail;
                ProfileName = profileName;
            }

            public AWSCredentials Credentials { get; }

            public CredentialSource Source { get; }

            public string Detail { get; }

            public string? ProfileName { get; }
        }
    }
}
