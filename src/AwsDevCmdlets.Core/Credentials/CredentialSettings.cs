using System;
using System.Text.RegularExpressions;

namespace AwsDevCmdlets.Core.Credentials
{
    /// <summary>
    /// What a caller asked for explicitly: a cmdlet's own parameters, or the session defaults set with
    /// Set-DevCredential. Every member may be absent; the resolver fills the gaps from the default chain.
    /// </summary>
    public sealed class CredentialSettings
    {
        private static readonly Regex RegionPattern = new Regex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

        public string? ProfileName { get; set; }

        public string? AccessKeyId { get; set; }

        public string? SecretAccessKey { get; set; }

        public string? SessionToken { get; set; }

        public string? Region { get; set; }

        public string? EndpointUrl { get; set; }

        public bool HasKeys => !string.IsNullOrEmpty(AccessKeyId);

        public bool IsEmpty => ProfileName is null && !HasKeys && Region is null && EndpointUrl is null;

        /// <summary>
        /// The settings with <paramref name="update"/> laid over them: new credentials replace the old
        /// ones whole (a profile and keys never mix), region and endpoint replace only when given.
        /// </summary>
        public CredentialSettings With(CredentialSettings update)
        {
            var merged = (CredentialSettings)MemberwiseClone();
            if (update.ProfileName != null || update.HasKeys)
            {
                merged.ProfileName = update.ProfileName;
                merged.AccessKeyId = update.AccessKeyId;
                merged.SecretAccessKey = update.SecretAccessKey;
                merged.SessionToken = update.SessionToken;
            }

            merged.Region = update.Region ?? Region;
            merged.EndpointUrl = update.EndpointUrl ?? EndpointUrl;
            return merged;
        }

        /// <summary>Rejects contradictory or malformed settings before anything is resolved or stored.</summary>
        public void Validate(string origin)
        {
            if (ProfileName != null && HasKeys)
            {
                throw Invalid(ErrorIds.InvalidCredentialParameters, $"{origin}: give either a profile name or access keys, not both.", ProfileName);
            }

            if (ProfileName != null && ProfileName.Trim().Length == 0)
            {
                throw Invalid(ErrorIds.InvalidCredentialParameters, $"{origin}: the profile name is empty.", ProfileName);
            }

            if (HasKeys && string.IsNullOrEmpty(SecretAccessKey))
            {
                throw Invalid(ErrorIds.InvalidCredentialParameters, $"{origin}: access key {Secrets.MaskAccessKey(AccessKeyId)} was given without a secret key.", Secrets.MaskAccessKey(AccessKeyId));
            }

            if (!HasKeys && (SecretAccessKey != null || SessionToken != null))
            {
                throw Invalid(ErrorIds.InvalidCredentialParameters, $"{origin}: a secret key or session token was given without an access key id.", null);
            }

            if (Region != null && !RegionPattern.IsMatch(Region))
            {
                throw Invalid(ErrorIds.InvalidRegion, $"{origin}: '{Region}' is not a region name (expected the form us-east-1).", Region);
            }

            if (EndpointUrl != null && !IsHttpUrl(EndpointUrl))
            {
                throw Invalid(ErrorIds.InvalidEndpointUrl, $"{origin}: '{EndpointUrl}' is not an absolute http or https URL.", EndpointUrl);
            }
        }

        public override string ToString() =>
            HasKeys ? $"keys {Secrets.MaskAccessKey(AccessKeyId)}" :
            ProfileName != null ? $"profile '{ProfileName}'" : "no credentials";

        private static bool IsHttpUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        private static AwsDevException Invalid(string id, string message, object? target) =>
            new AwsDevException(id, ErrorKind.InvalidArgument, message, target);
    }
}
