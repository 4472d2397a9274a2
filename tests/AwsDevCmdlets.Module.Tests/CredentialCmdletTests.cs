using System.Management.Automation;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Module.Tests;

public sealed class CredentialCmdletTests : IDisposable
{
    private const string ProfileKey = "AKIAPROFILEUSER00001";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET1";
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLETOKENSECRET2";
    private readonly IsolatedAwsEnvironment _env = new();
    private readonly PowerShellSession _session = new();

    public void Dispose()
    {
        _session.Dispose();
        _env.Dispose();
    }

    private static object? Property(object item, string name) => Ps.Property(item, name);

    [Fact]
    public void Session_keys_set_with_Set_DevCredential_are_used_and_reported_masked()
    {
        var info = _session.Invoke($"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}' -SessionToken '{Token}' -Region eu-west-3; Get-DevCredential").Single();

        Assert.Equal("AwsDevCmdlets.DevCredentialInfo", info.GetType().FullName);
        Assert.Equal("Session", Property(info, "Source")!.ToString());
        Assert.Equal("****************0001", Property(info, "AccessKeyId"));
        Assert.Equal(true, Property(info, "IsTemporary"));
        Assert.Equal("eu-west-3", Property(info, "Region"));
        Assert.Equal("Session", Property(info, "RegionSource")!.ToString());
    }

    [Fact]
    public void A_PSCredential_carries_the_access_key_and_secret()
    {
        var result = _session.Invoke(
            $"$c = [pscredential]::new('AKIACREDENTIAL000001', [Net.NetworkCredential]::new('', '{Secret}').SecurePassword); " +
            "Set-DevCredential -Credential $c; Get-DevCredential -Verbose");

        var info = result.Single();
        Assert.Equal("Session", Property(info, "Source")!.ToString());
        Assert.Equal("****************0001", Property(info, "AccessKeyId"));
        Assert.NotEmpty(result.Verbose);
    }

    [Fact]
    public void Parameters_override_the_session_for_one_call_only()
    {
        _env.WriteCredentials($"[dev]\naws_access_key_id = {ProfileKey}\naws_secret_access_key = s\n");

        var overridden = _session.Invoke($"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}' -Region eu-west-3; Get-DevCredential -ProfileName dev -Region us-west-2").Single();
        var after = _session.Invoke("Get-DevCredential").Single();

        Assert.Equal("Profile", Property(overridden, "Source")!.ToString());
        Assert.Equal("dev", Property(overridden, "ProfileName"));
        Assert.Equal("Parameter", Property(overridden, "RegionSource")!.ToString());
        Assert.Equal("Session", Property(after, "Source")!.ToString());
        Assert.Equal("eu-west-3", Property(after, "Region"));
    }

    [Fact]
    public void Region_and_endpoint_can_be_set_alone_and_keep_the_credentials()
    {
        _env.WriteCredentials($"[dev]\naws_access_key_id = {ProfileKey}\naws_secret_access_key = s\n");

        var info = _session.Invoke("Set-DevCredential dev; Set-DevCredential -Region ap-northeast-1 -EndpointUrl http://127.0.0.1:4566; Get-DevCredential").Single();

        Assert.Equal("dev", Property(info, "ProfileName"));
        Assert.Equal("ap-northeast-1", Property(info, "Region"));
        Assert.Equal("http://127.0.0.1:4566", Property(info, "EndpointUrl"));
    }

    [Fact]
    public void Clear_DevCredential_falls_back_to_the_default_chain()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var info = _session.Invoke($"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}'; Clear-DevCredential; Get-DevCredential").Single();

        Assert.Equal("Environment", Property(info, "Source")!.ToString());
    }

    [Fact]
    public void WhatIf_changes_nothing()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var info = _session.Invoke($"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}' -WhatIf; Get-DevCredential").Single();
        var cleared = _session.Invoke($"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}'; Clear-DevCredential -WhatIf; (Get-DevCredential).Source.ToString()").Single();

        Assert.Equal("Environment", Property(info, "Source")!.ToString());
        Assert.Equal("Session", cleared);
    }

    [Fact]
    public void A_missing_profile_is_a_terminating_ProfileNotFound_error_and_changes_nothing()
    {
        _env.WriteCredentials($"[dev]\naws_access_key_id = {ProfileKey}\naws_secret_access_key = s\n");

        var result = _session.Invoke("try { Set-DevCredential -ProfileName nope; 'went on' } catch { $_ }");
        var record = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
        var afterwards = _session.Invoke("Get-DevCredential -ProfileName nope");

        Assert.Equal("ProfileNotFound,AwsDevCmdlets.Commands.SetDevCredentialCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        Assert.Equal("nope", record.TargetObject);
        Assert.Contains("dev", record.Exception.Message);
        Assert.Equal("ProfileNotFound,AwsDevCmdlets.Commands.GetDevCredentialCommand", afterwards.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void Nothing_found_is_a_NoCredentials_error_naming_what_was_tried()
    {
        var error = _session.Invoke("Get-DevCredential").SingleError();

        Assert.Equal("NoCredentials,AwsDevCmdlets.Commands.GetDevCredentialCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("Set-DevCredential", error.Exception.Message);
        Assert.Contains("AWS_ACCESS_KEY_ID", error.Exception.Message);
    }

    [Theory]
    [InlineData("Set-DevCredential -AccessKey AKIA1 -ProfileName dev", "AmbiguousParameterSet")]
    [InlineData("Set-DevCredential -SecretKey x", "MissingMandatoryParameter")]
    [InlineData("Set-DevCredential -Region 'not a region'", "InvalidRegion")]
    [InlineData("Set-DevCredential -EndpointUrl localhost:9000", "InvalidEndpointUrl")]
    [InlineData("Set-DevCredential", "InvalidCredentialParameters")]
    [InlineData("Get-DevCredential -Region ''", "ParameterArgumentValidationError")]
    [InlineData("Get-DevCredential -ProfileName dev -Credential ([pscredential]::new('AKIA1', [Net.NetworkCredential]::new('', 'x').SecurePassword))", "InvalidCredentialParameters")]
    public void Bad_input_gets_a_clear_error_with_a_stable_id(string script, string errorId)
    {
        var error = _session.Invoke(script).SingleError();

        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void No_secret_appears_in_any_output_stream_message_or_format()
    {
        var script = $"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}' -SessionToken '{Token}' -Verbose -Debug; " +
            "Get-DevCredential -Verbose -Debug; Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey x -ProfileName p -Verbose";
        var result = _session.Invoke(script);
        var formatted = _session.Format("Get-DevCredential") + _session.Format("Get-DevCredential | Format-List *".Replace("| Format-List *", string.Empty, StringComparison.Ordinal));

        var everything = result.AllText() + formatted;
        Assert.DoesNotContain(Secret, everything);
        Assert.DoesNotContain(Token, everything);
        Assert.DoesNotContain("AKIASESSION000000001", everything);
        Assert.Contains("****************0001", formatted);
    }

    [Fact]
    public void The_default_view_is_a_table_with_the_sources()
    {
        var text = _session.Format($"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}' -Region eu-west-3; Get-DevCredential");

        Assert.Matches(@"Source\s+ProfileName\s+AccessKeyId\s+Temporary\s+Region\s+RegionSource", text);
        Assert.Matches(@"Session\s+\*{16}0001\s+False\s+eu-west-3\s+Session", text);
    }

    [Fact]
    public void Two_runspaces_in_one_process_never_see_each_others_defaults()
    {
        using var other = new PowerShellSession();
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        _session.Invoke($"Set-DevCredential -AccessKey AKIASESSIONAAAAAAAA1 -SecretKey '{Secret}' -Region eu-west-1").ThrowIfErrors();
        other.Invoke($"Set-DevCredential -AccessKey AKIASESSIONBBBBBBBB2 -SecretKey '{Secret}' -Region eu-west-2").ThrowIfErrors();

        Assert.Equal("****************AAA1", Property(_session.Invoke("Get-DevCredential").Single(), "AccessKeyId"));
        Assert.Equal("****************BBB2", Property(other.Invoke("Get-DevCredential").Single(), "AccessKeyId"));
        other.Invoke("Clear-DevCredential").ThrowIfErrors();
        Assert.Equal("Session", Property(_session.Invoke("Get-DevCredential").Single(), "Source")!.ToString());
        Assert.Equal("Environment", Property(other.Invoke("Get-DevCredential").Single(), "Source")!.ToString());
    }

    [Fact]
    public void ForEach_Object_Parallel_runspaces_start_without_the_callers_defaults()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var sources = _session.Invoke(
            $"Set-DevCredential -AccessKey AKIASESSION000000001 -SecretKey '{Secret}'; " +
            "$manifest = $args[0]; 1..3 | ForEach-Object -Parallel { Import-Module $using:manifest; (Get-DevCredential).Source.ToString() } -ThrottleLimit 3",
            PowerShellSession.ManifestPath).ThrowIfErrors().Output.Select(o => o.ToString()).ToList();

        Assert.Equal(new[] { "Environment", "Environment", "Environment" }, sources);
        Assert.Equal("Session", Property(_session.Invoke("Get-DevCredential").Single(), "Source")!.ToString());
    }

    [Fact]
    public void Profile_names_complete_from_the_shared_files()
    {
        _env.WriteCredentials($"[dev]\naws_access_key_id = {ProfileKey}\naws_secret_access_key = s\n[prod]\naws_access_key_id = {ProfileKey}\naws_secret_access_key = s\n")
            .WriteConfig($"[profile dev-admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = dev\n");

        var completions = _session.Invoke(
            "$line = 'Get-DevCredential -ProfileName de'; [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches | ForEach-Object { $_.CompletionText }")
            .ThrowIfErrors().Output.Select(o => o.ToString()).ToList();

        Assert.Equal(new[] { "dev", "dev-admin" }, completions);
    }
}
