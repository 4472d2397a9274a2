using System;

namespace AwsDevCmdlets
{
    /// <summary>
    /// The credentials, region and endpoint a cmdlet would use, and where each came from.
    /// Holds no secret: the access key id is already masked when this object is built.
    /// </summary>
    public sealed class DevCredentialInfo
    {
        public CredentialSource Source { get; set; }

        /// <summary>How the source was chosen, e.g. which file a profile was read from.</summary>
        public string SourceDetail { get; set; } = string.Empty;

        public string? ProfileName { get; set; }

        /// <summary>The access key id masked to its last four characters.</summary>
        public string AccessKeyId { get; set; } = string.Empty;

        public bool IsTemporary { get; set; }

        public DateTime? Expiration { get; set; }

        public string Region { get; set; } = string.Empty;

        public RegionSource RegionSource { get; set; }

        public string? EndpointUrl { get; set; }

        public override string ToString() => $"{Source} {AccessKeyId} {Region}";
    }
}
