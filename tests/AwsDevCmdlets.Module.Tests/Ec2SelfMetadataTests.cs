using System.Collections;
using System.Management.Automation;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Module.Tests;

public sealed class Ec2SelfMetadataTests : IDisposable
{
    private readonly IsolatedAwsEnvironment _env = new();
    private readonly ImdsEmulator _imds;
    private readonly PowerShellSession _session = new();

    public Ec2SelfMetadataTests()
    {
        _imds = (ImdsEmulator)new ImdsEmulator().Start();
        _env.UseImds(_imds.Url);
    }

    public void Dispose()
    {
        _session.Dispose();
        _imds.Dispose();
        _env.Dispose();
    }

    private static object? Property(object item, string name) => Ps.Property(item, name);

    [Fact]
    public void The_snapshot_is_one_typed_object_read_over_one_token()
    {
        var snapshot = _session.Invoke("Get-Ec2SelfMetadata").Single();

        Assert.Equal("AwsDevCmdlets.Ec2InstanceSnapshot", snapshot.GetType().FullName);
        Assert.Equal(ImdsEmulator.InstanceId, Property(snapshot, "InstanceId"));
        Assert.Equal("t3.micro", Property(snapshot, "InstanceType"));
        Assert.Equal("ami-0abcdef1234567890", Property(snapshot, "ImageId"));
        Assert.Equal(ImdsEmulator.Region, Property(snapshot, "Region"));
        Assert.Equal("eu-west-1b", Property(snapshot, "AvailabilityZone"));
        Assert.Equal("10.0.1.23", Property(snapshot, "LocalIpv4"));
        Assert.Equal("203.0.113.25", Property(snapshot, "PublicIpv4"));
        Assert.Equal(ImdsEmulator.Mac, Property(snapshot, "MacAddress"));
        Assert.Equal(new[] { "default", "web-servers" }, (string[])Property(snapshot, "SecurityGroups")!);
        Assert.Equal(ImdsEmulator.RoleName, Property(snapshot, "IamRoleName"));
        Assert.Equal("arn:aws:iam::123456789012:instance-profile/dev-instance-profile", Property(snapshot, "InstanceProfileArn"));
        Assert.Null(Property(snapshot, "Tags"));
        Assert.Null(Property(snapshot, "SpotAction"));
        Assert.Equal("IMDSv2", Property(snapshot, "ImdsVersion"));
        Assert.Equal(1, _imds.TokenRequests);
    }

    [Fact]
    public void Tags_and_a_scheduled_spot_interruption_appear_when_the_service_has_them()
    {
        _imds.EnableTags(("Name", "web-1"), ("team", "platform"));
        _imds.Set("meta-data/spot/instance-action", "{\"action\": \"terminate\", \"time\": \"2026-11-24T08:22:00Z\"}");

        var snapshot = _session.Invoke("Get-Ec2SelfMetadata").Single();
        var tags = (IDictionary)Property(snapshot, "Tags")!;

        Assert.Equal("web-1", tags["Name"]);
        Assert.Equal("platform", tags["team"]);
        Assert.Contains("terminate", (string)Property(snapshot, "SpotAction")!);
    }

    [Fact]
    public void A_category_returns_one_value_and_nothing_when_the_instance_has_none()
    {
        _imds.Remove("meta-data/public-ipv4");

        var region = _session.Invoke("Get-Ec2SelfMetadata -Category Region").Single();
        var groups = _session.Invoke("Get-Ec2SelfMetadata SecurityGroups").ThrowIfErrors().Output.Select(o => o.ToString());
        var publicIp = _session.Invoke("Get-Ec2SelfMetadata -Category PublicIpv4 -Verbose").ThrowIfErrors();

        Assert.Equal(ImdsEmulator.Region, region);
        Assert.Equal(new[] { "default", "web-servers" }, groups);
        Assert.Empty(publicIp.Output);
        Assert.Contains(publicIp.Verbose, v => v.Contains("no PublicIpv4", StringComparison.Ordinal));
    }

    [Fact]
    public void Categories_complete_at_the_prompt()
    {
        var completions = _session.Invoke(
            "$line = 'Get-Ec2SelfMetadata -Category Pu'; [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches | ForEach-Object { $_.CompletionText }")
            .ThrowIfErrors().Output.Select(o => o.ToString());

        Assert.Equal(new[] { "PublicHostname", "PublicIpv4" }, completions);
    }

    [Fact]
    public void Any_path_is_returned_raw_and_a_directory_as_its_entries()
    {
        var listing = _session.Invoke("Get-Ec2SelfMetadata -Path meta-data/placement/").ThrowIfErrors().Output.Select(o => o.ToString());
        var raw = _session.Invoke("Get-Ec2SelfMetadata -Path /latest/meta-data/iam/info").Single();
        var missing = _session.Invoke("Get-Ec2SelfMetadata -Path meta-data/no-such-thing").SingleError();

        Assert.Equal(new[] { "availability-zone", "availability-zone-id", "region" }, listing);
        Assert.Contains("\"InstanceProfileArn\"", (string)raw);
        Assert.Equal("ObjectNotFound,AwsDevCmdlets.Commands.GetEc2SelfMetadataCommand", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
    }

    [Fact]
    public void User_data_and_the_identity_document_come_typed()
    {
        var userData = _session.Invoke("Get-Ec2SelfMetadata -UserData").Single();
        var document = _session.Invoke("Get-Ec2SelfMetadata -IdentityDocument").Single();

        Assert.Equal("#!/bin/bash\necho hello from user data\n", userData);
        Assert.Equal("AwsDevCmdlets.Ec2IdentityDocument", document.GetType().FullName);
        Assert.Equal("123456789012", Property(document, "AccountId"));
        Assert.Equal(ImdsEmulator.InstanceId, Property(document, "InstanceId"));
        Assert.Equal("x86_64", Property(document, "Architecture"));
        Assert.Equal(new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc), ((DateTime)Property(document, "PendingTime")!).ToUniversalTime());
        Assert.Equal("c2lnbmF0dXJlLW5vdC1yZWFs", Property(document, "Signature"));
    }

    [Fact]
    public void Role_credentials_are_masked_unless_IncludeSecret_is_given()
    {
        var masked = _session.Invoke("Get-Ec2SelfMetadata -IamCredential -Verbose");
        var text = _session.Format("Get-Ec2SelfMetadata -IamCredential");
        var revealed = _session.Invoke("Get-Ec2SelfMetadata -IamCredential -IncludeSecret").Single();

        var credential = masked.Single();
        Assert.Equal(ImdsEmulator.RoleName, Property(credential, "RoleName"));
        Assert.Equal(_imds.CurrentAccessKeyId, Property(credential, "AccessKeyId"));
        Assert.Equal("Success", Property(credential, "Code"));
        Assert.NotNull(Property(credential, "Expiration"));
        Assert.DoesNotContain("imdsEmulatorSecretKeyDoNotShow", masked.AllText() + text);
        Assert.DoesNotContain("imdsEmulatorSessionTokenDoNotShow", masked.AllText() + text);
        Assert.Matches(@"SecretAccessKey\s*:\s*\*{8}", text);
        Assert.StartsWith("imdsEmulatorSecretKeyDoNotShow", (string)Property(revealed, "SecretAccessKey")!);
        Assert.StartsWith("imdsEmulatorSessionTokenDoNotShow", (string)Property(revealed, "Token")!);
    }

    [Fact]
    public void An_expired_token_is_renewed()
    {
        _session.Invoke("Get-Ec2SelfMetadata -Category InstanceId").Single();
        _imds.ExpireAllTokens();

        var again = _session.Invoke("Get-Ec2SelfMetadata -Category InstanceId").Single();

        Assert.Equal(ImdsEmulator.InstanceId, again);
        Assert.Equal(2, _imds.TokenRequests);
    }

    [Fact]
    public void IMDSv1_answers_only_with_AllowImdsV1()
    {
        _imds.TokenStatusOverride = 405;
        _imds.RequireToken = false;

        var refused = _session.Invoke("Get-Ec2SelfMetadata").SingleError();
        var snapshot = _session.Invoke("Get-Ec2SelfMetadata -AllowImdsV1").Single();

        Assert.Equal("ImdsUnavailable,AwsDevCmdlets.Commands.GetEc2SelfMetadataCommand", refused.FullyQualifiedErrorId);
        Assert.Equal("IMDSv1", Property(snapshot, "ImdsVersion"));
    }

    [Fact]
    public void A_disabled_service_is_a_clear_error()
    {
        _env.Set("AWS_EC2_METADATA_DISABLED", "true");

        var error = _session.Invoke("Get-Ec2SelfMetadata").SingleError();

        Assert.Equal("ImdsUnavailable,AwsDevCmdlets.Commands.GetEc2SelfMetadataCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Equal(0, _imds.TokenRequests);
    }

    [Fact]
    public void Off_EC2_it_fails_fast_with_ImdsUnavailable()
    {
        using var blackhole = new BlackholeServer();
        var refused = IsolatedAwsEnvironment.ClosedLoopbackUrl();

        var timedOut = _session.Invoke("Get-Ec2SelfMetadata -Endpoint $args[0] -TimeoutSec 0.3", blackhole.Url.ToString()).SingleError();
        var unreachable = _session.Invoke("Get-Ec2SelfMetadata -Endpoint $args[0]", refused.ToString()).SingleError();

        Assert.Equal("ImdsUnavailable,AwsDevCmdlets.Commands.GetEc2SelfMetadataCommand", timedOut.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, timedOut.CategoryInfo.Category);
        Assert.Contains("0.3 s", timedOut.Exception.Message);
        Assert.Equal(ErrorCategory.ConnectionError, unreachable.CategoryInfo.Category);
        Assert.Equal(0, _imds.TokenRequests);
    }

    [Fact]
    public void A_hanging_token_request_names_the_hop_limit()
    {
        _imds.HangTokenRequests = true;

        var error = _session.Invoke("Get-Ec2SelfMetadata").SingleError();

        Assert.Equal("ImdsUnavailable,AwsDevCmdlets.Commands.GetEc2SelfMetadataCommand", error.FullyQualifiedErrorId);
        Assert.True(error.Exception.Message.Contains("hop limit", StringComparison.Ordinal), error.Exception.Message);
    }

    [Fact]
    public void The_snapshot_view_is_a_list()
    {
        var text = _session.Format("Get-Ec2SelfMetadata");

        Assert.Matches(@"InstanceId\s+:\s+i-0123456789abcdef0", text);
        Assert.Matches(@"ImdsVersion\s+:\s+IMDSv2", text);
    }
}
