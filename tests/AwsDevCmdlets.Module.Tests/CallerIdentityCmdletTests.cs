using System.Management.Automation;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Module.Tests;

public sealed class CallerIdentityCmdletTests : IDisposable
{
    private const string UserKey = "AKIASTSUSER000000001";
    private readonly IsolatedAwsEnvironment _env = new();
    private readonly StsStub _sts;
    private readonly PowerShellSession _session = new();

    public CallerIdentityCmdletTests()
    {
        _sts = (StsStub)new StsStub().AddCaller(UserKey, $"arn:aws:iam::{StsStub.Account}:user/alice").Start();
    }

    public void Dispose()
    {
        _session.Dispose();
        _sts.Dispose();
        _env.Dispose();
    }

    private static object? Property(object item, string name) => Ps.Property(item, name);

    [Fact]
    public void Caller_identity_comes_from_STS_with_the_credential_source()
    {
        var identity = _session.Invoke(
            $"Set-DevCredential -AccessKey {UserKey} -SecretKey s -EndpointUrl '{_sts.Url}' -Region eu-west-1; Get-DevCallerIdentity").Single();

        Assert.Equal("AwsDevCmdlets.DevCallerIdentity", identity.GetType().FullName);
        Assert.Equal(StsStub.Account, Property(identity, "Account"));
        Assert.Equal($"arn:aws:iam::{StsStub.Account}:user/alice", Property(identity, "Arn"));
        Assert.Equal("Session", Property(identity, "Source")!.ToString());
        Assert.Equal("eu-west-1", _sts.LastSigningRegion);
    }

    [Fact]
    public void A_role_profile_calls_STS_as_the_assumed_role()
    {
        _env.WriteCredentials($"[base]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n")
            .WriteConfig("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\nrole_session_name = ops\n")
            .Set("AWS_ENDPOINT_URL_STS", _sts.Url.ToString());

        var identity = _session.Invoke("Get-DevCallerIdentity -ProfileName admin").Single();
        var credential = _session.Invoke("Get-DevCredential -ProfileName admin").Single();

        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Admin/ops", Property(identity, "Arn"));
        Assert.Equal("AssumeRole", Property(identity, "Source")!.ToString());
        Assert.Equal(true, Property(credential, "IsTemporary"));
        Assert.NotNull(Property(credential, "Expiration"));
    }

    [Fact]
    public void The_instance_profile_is_used_on_EC2_with_the_instance_region()
    {
        using var imds = (ImdsEmulator)new ImdsEmulator().Start();
        _env.UseImds(imds.Url).Set("AWS_ENDPOINT_URL_STS", _sts.Url.ToString());

        var credential = _session.Invoke("Get-DevCredential").Single();
        _sts.AddCaller(imds.CurrentAccessKeyId, "arn:aws:sts::123456789012:assumed-role/dev-instance-role/i-0123456789abcdef0");
        var identity = _session.Invoke("Get-DevCallerIdentity").Single();

        Assert.Equal("InstanceProfile", Property(credential, "Source")!.ToString());
        Assert.Equal(ImdsEmulator.Region, Property(credential, "Region"));
        Assert.Equal("InstanceMetadata", Property(credential, "RegionSource")!.ToString());
        Assert.Equal("InstanceProfile", Property(identity, "Source")!.ToString());
        Assert.EndsWith("dev-instance-role/i-0123456789abcdef0", (string)Property(identity, "Arn")!);
    }

    [Fact]
    public void Unknown_keys_are_an_authentication_error_with_a_stable_id()
    {
        var error = _session.Invoke($"Get-DevCallerIdentity -Credential ([pscredential]::new('AKIAUNKNOWN000000001', [Net.NetworkCredential]::new('', 'x').SecurePassword)) -EndpointUrl '{_sts.Url}'")
            .SingleError();

        Assert.Equal("InvalidClientTokenId,AwsDevCmdlets.Commands.GetDevCallerIdentityCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.DoesNotContain("AKIAUNKNOWN000000001", error.ToString());
    }

    [Fact]
    public void An_unreachable_endpoint_is_a_connection_error()
    {
        var closed = IsolatedAwsEnvironment.ClosedLoopbackUrl();

        var error = _session.Invoke($"Get-DevCallerIdentity -Credential ([pscredential]::new('{UserKey}', [Net.NetworkCredential]::new('', 'x').SecurePassword)) -EndpointUrl '{closed}'")
            .SingleError();

        Assert.Equal("EndpointUnreachable,AwsDevCmdlets.Commands.GetDevCallerIdentityCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void Stopping_the_pipeline_cancels_a_call_that_would_otherwise_hang()
    {
        using var blackhole = new BlackholeServer();
        using var powershell = PowerShell.Create();
        powershell.Runspace = _session.Runspace;
        powershell.AddScript($"Get-DevCallerIdentity -Credential ([pscredential]::new('{UserKey}', [Net.NetworkCredential]::new('', 'x').SecurePassword)) -EndpointUrl '{blackhole.Url}'");

        var invocation = powershell.BeginInvoke();
        SpinWait.SpinUntil(() => blackhole.Connections > 0, TimeSpan.FromSeconds(30));
        powershell.Stop();

        // The SDK would wait 100 s per attempt, five attempts, without the cancellation token.
        Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "Stop did not end the call.");
        Assert.Equal(PSInvocationState.Stopped, powershell.InvocationStateInfo.State);
    }
}
