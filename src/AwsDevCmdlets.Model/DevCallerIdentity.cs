namespace AwsDevCmdlets
{
    /// <summary>The answer of STS GetCallerIdentity, with the credential source that was used.</summary>
    public sealed class DevCallerIdentity
    {
        public string Account { get; set; } = string.Empty;

        public string Arn { get; set; } = string.Empty;

        public string UserId { get; set; } = string.Empty;

        public CredentialSource Source { get; set; }

        public string? ProfileName { get; set; }

        public string Region { get; set; } = string.Empty;

        public override string ToString() => Arn;
    }
}
