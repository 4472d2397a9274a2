using System;
using System.Collections.Generic;

namespace AwsDevCmdlets
{
    /// <summary>The values Get-Ec2SelfMetadata -Category can return, each one path of the metadata service.</summary>
    public enum ImdsCategory
    {
        InstanceId,
        InstanceType,
        ImageId,
        Region,
        AvailabilityZone,
        AvailabilityZoneId,
        LocalIpv4,
        PublicIpv4,
        Ipv6,
        LocalHostname,
        PublicHostname,
        Hostname,
        MacAddress,
        SecurityGroups,
        VpcId,
        SubnetId,
        IamRoleName,
        InstanceProfileArn,
        InstanceLifeCycle,
        AmiLaunchIndex,
        ReservationId,
        Tags,
        SpotAction,
        AutoScalingTargetLifecycleState,
    }

    /// <summary>What an EC2 instance knows about itself, fetched in one go by Get-Ec2SelfMetadata.</summary>
    public sealed class Ec2InstanceSnapshot
    {
        public string InstanceId { get; set; } = string.Empty;

        public string? InstanceType { get; set; }

        public string? ImageId { get; set; }

        public string? Region { get; set; }

        public string? AvailabilityZone { get; set; }

        public string? LocalIpv4 { get; set; }

        public string? PublicIpv4 { get; set; }

        public string? LocalHostname { get; set; }

        public string? PublicHostname { get; set; }

        public string? MacAddress { get; set; }

        public string[] SecurityGroups { get; set; } = Array.Empty<string>();

        public string? IamRoleName { get; set; }

        public string? InstanceProfileArn { get; set; }

        /// <summary>Instance tags, when the instance exposes them to the metadata service; otherwise null.</summary>
        public IDictionary<string, string>? Tags { get; set; }

        /// <summary>The scheduled spot interruption ({"action":"terminate","time":...}), when there is one.</summary>
        public string? SpotAction { get; set; }

        /// <summary>IMDSv2 or IMDSv1: which protocol answered.</summary>
        public string ImdsVersion { get; set; } = string.Empty;

        public string Endpoint { get; set; } = string.Empty;

        public override string ToString() => InstanceId;
    }

    /// <summary>The signed instance identity document (dynamic/instance-identity/document).</summary>
    public sealed class Ec2IdentityDocument
    {
        public string AccountId { get; set; } = string.Empty;

        public string InstanceId { get; set; } = string.Empty;

        public string? InstanceType { get; set; }

        public string? ImageId { get; set; }

        public string? Region { get; set; }

        public string? AvailabilityZone { get; set; }

        public string? PrivateIp { get; set; }

        public string? Architecture { get; set; }

        public DateTime? PendingTime { get; set; }

        public string? Version { get; set; }

        public string? KernelId { get; set; }

        public string? RamdiskId { get; set; }

        public string[] BillingProducts { get; set; } = Array.Empty<string>();

        public string[] MarketplaceProductCodes { get; set; } = Array.Empty<string>();

        /// <summary>The base64 signature of the document (dynamic/instance-identity/signature).</summary>
        public string? Signature { get; set; }

        /// <summary>The document exactly as the service returned it, for verifying the signature.</summary>
        public string Document { get; set; } = string.Empty;

        public override string ToString() => $"{AccountId} {InstanceId} {Region}";
    }

    /// <summary>
    /// The instance role's temporary credentials. The secret access key and token are masked unless
    /// Get-Ec2SelfMetadata was given -IncludeSecret.
    /// </summary>
    public sealed class Ec2RoleCredential
    {
        public string RoleName { get; set; } = string.Empty;

        public string AccessKeyId { get; set; } = string.Empty;

        public string SecretAccessKey { get; set; } = string.Empty;

        public string Token { get; set; } = string.Empty;

        public DateTime? Expiration { get; set; }

        public string Code { get; set; } = string.Empty;

        public DateTime? LastUpdated { get; set; }

        public bool SecretsIncluded { get; set; }

        public override string ToString() => $"{RoleName} {AccessKeyId}";
    }
}
