namespace AwsDevCmdlets
{
    /// <summary>Where the credentials in force came from.</summary>
    public enum CredentialSource
    {
        Parameter,
        Session,
        Environment,
        Profile,
        AssumeRole,
        WebIdentity,
        Sso,
        Process,
        Container,
        InstanceProfile,
    }

    /// <summary>Where the region in force came from.</summary>
    public enum RegionSource
    {
        Parameter,
        Session,
        Environment,
        Profile,
        InstanceMetadata,
        Default,
    }
}
