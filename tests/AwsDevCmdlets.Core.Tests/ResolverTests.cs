using System.Diagnostics;
using AwsDevCmdlets.Core.Credentials;
using AwsDevCmdlets.Core.Imds;
using AwsDevCmdlets.TestServers;
using Xunit;

namespace AwsDevCmdlets.Core.Tests;

public sealed class ResolverTests : IDisposable
{
    private const string UserKey = "AKIAPROFILEUSER00001";
    private readonly IsolatedAwsEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private static Task<AwsContext> Resolve(CredentialSettings? parameters = null, CredentialSettings? session = null) =>
        new AwsContextResolver().ResolveAsync(parameters ?? new CredentialSettings(), session, CancellationToken.None);

    private static async Task<AwsDevException> ResolveFails(CredentialSettings? parameters = null, CredentialSettings? session = null) =>
        await Assert.ThrowsAsync<AwsDevException>(() => Resolve(parameters, session));

    [Fact]
    public async Task Keys_given_as_parameters_win_over_everything_else()
    {
        _env.WriteCredentials($"[default]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n")
            .Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var context = await Resolve(
            new CredentialSettings { AccessKeyId = "AKIAPARAMETER0000001", SecretAccessKey = "p" },
            new CredentialSettings { AccessKeyId = "AKIASESSION000000001", SecretAccessKey = "s" });
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.Parameter, info.Source);
        Assert.Equal("****************0001", info.AccessKeyId);
        Assert.Equal("AKIAPARAMETER0000001", (await context.FetchAsync(CancellationToken.None)).AccessKey);
        Assert.False(info.IsTemporary);
    }

    [Fact]
    public async Task A_profile_named_as_a_parameter_wins_over_session_keys()
    {
        _env.WriteCredentials($"[dev]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n");

        var context = await Resolve(new CredentialSettings { ProfileName = "dev" }, new CredentialSettings { AccessKeyId = "AKIASESSION000000001", SecretAccessKey = "s" });

        Assert.Equal(CredentialSource.Profile, context.Source);
        Assert.Equal("dev", context.ProfileName);
        Assert.Contains("-ProfileName parameter", context.SourceDetail);
        Assert.Equal(UserKey, (await context.FetchAsync(CancellationToken.None)).AccessKey);
    }

    [Fact]
    public async Task Session_keys_win_over_the_environment()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var context = await Resolve(session: new CredentialSettings { AccessKeyId = "AKIASESSION000000001", SecretAccessKey = "s", SessionToken = "t" });
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.Session, info.Source);
        Assert.True(info.IsTemporary);
    }

    [Fact]
    public async Task A_session_profile_is_used_when_no_parameter_names_one()
    {
        _env.WriteCredentials($"[dev]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n")
            .Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");

        var context = await Resolve(session: new CredentialSettings { ProfileName = "dev" });

        Assert.Equal(CredentialSource.Profile, context.Source);
        Assert.Contains("Set-DevCredential", context.SourceDetail);
    }

    [Fact]
    public async Task Environment_keys_come_before_the_default_profile()
    {
        _env.WriteCredentials($"[default]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n")
            .Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e").Set("AWS_SESSION_TOKEN", "t");

        var context = await Resolve();
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.Environment, info.Source);
        Assert.True(info.IsTemporary);
        Assert.Equal("AKIAENVIRONMENT00001", (await context.FetchAsync(CancellationToken.None)).AccessKey);
    }

    [Fact]
    public async Task An_access_key_without_a_secret_in_the_environment_is_an_error_that_hides_the_key()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001");

        var error = await ResolveFails();

        Assert.Equal(ErrorIds.InvalidCredentialParameters, error.ErrorId);
        Assert.DoesNotContain("AKIAENVIRONMENT00001", error.Message);
    }

    [Fact]
    public async Task AWS_PROFILE_selects_a_profile_from_the_config_file()
    {
        _env.WriteConfig($"[profile ops]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\nregion = ap-southeast-2\n").Set("AWS_PROFILE", "ops");

        var context = await Resolve();

        Assert.Equal(CredentialSource.Profile, context.Source);
        Assert.Equal("ops", context.ProfileName);
        Assert.Equal("ap-southeast-2", context.Region);
        Assert.Equal(RegionSource.Profile, context.RegionSource);
    }

    [Fact]
    public async Task The_default_profile_is_used_last_among_the_files()
    {
        _env.WriteCredentials($"[default]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n");

        var context = await Resolve();

        Assert.Equal(CredentialSource.Profile, context.Source);
        Assert.Equal("default", context.ProfileName);
        Assert.Equal(RegionSource.Default, context.RegionSource);
        Assert.Equal("us-east-1", context.Region);
    }

    [Theory]
    [InlineData("parameter")]
    [InlineData("session")]
    [InlineData("AWS_PROFILE")]
    public async Task A_named_profile_that_does_not_exist_is_an_error_never_a_fall_through(string namedBy)
    {
        _env.WriteCredentials($"[default]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n[other]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n")
            .Set("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001").Set("AWS_SECRET_ACCESS_KEY", "e");
        if (namedBy == "AWS_PROFILE")
        {
            _env.Set("AWS_ACCESS_KEY_ID", null).Set("AWS_SECRET_ACCESS_KEY", null).Set("AWS_PROFILE", "missing");
        }

        var error = await ResolveFails(
            namedBy == "parameter" ? new CredentialSettings { ProfileName = "missing" } : null,
            namedBy == "session" ? new CredentialSettings { ProfileName = "missing" } : null);

        Assert.Equal(ErrorIds.ProfileNotFound, error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Equal("missing", error.Target);
        Assert.Contains(_env.CredentialsFile, error.Message);
        Assert.Contains("default, other", error.Message);
    }

    [Fact]
    public async Task Nothing_found_is_one_error_that_says_what_was_tried()
    {
        var error = await ResolveFails();

        Assert.Equal(ErrorIds.NoCredentials, error.ErrorId);
        Assert.Equal(ErrorKind.AuthenticationError, error.Kind);
        foreach (var tried in new[] { "Set-DevCredential", "AWS_ACCESS_KEY_ID", "'default' profile", "AWS_WEB_IDENTITY_TOKEN_FILE", "container", "AWS_EC2_METADATA_DISABLED" })
        {
            Assert.Contains(tried, error.Message);
        }
    }

    [Fact]
    public async Task A_role_profile_assumes_the_role_through_STS_with_its_source_profile()
    {
        await using var sts = (StsStub)new StsStub().AddCaller(UserKey, "arn:aws:iam::123456789012:user/dev").Start();
        _env.WriteCredentials($"[base]\naws_access_key_id = {UserKey}\naws_secret_access_key = s\n")
            .WriteConfig("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\nrole_session_name = tester\nregion = eu-central-1\n")
            .Set("AWS_ENDPOINT_URL_STS", sts.Url.ToString());

        var context = await Resolve(new CredentialSettings { ProfileName = "admin" });
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.AssumeRole, info.Source);
        Assert.True(info.IsTemporary);
        Assert.NotNull(info.Expiration);
        Assert.Equal(1, sts.AssumeRoleCalls);
        Assert.Equal("arn:aws:iam::123456789012:role/Admin", sts.LastRoleArn);
        Assert.Equal("tester", sts.LastRoleSessionName);
        Assert.StartsWith("ASIASTSSTUB", (await context.FetchAsync(CancellationToken.None)).AccessKey);

        var identity = await CallerIdentityService.GetAsync(context, CancellationToken.None);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/Admin/tester", identity.Arn);
        Assert.Equal(CredentialSource.AssumeRole, identity.Source);
    }

    [Fact]
    public async Task A_credential_process_profile_runs_the_process()
    {
        var script = _env.WriteExecutable("creds.sh",
            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS000000001\", \"SecretAccessKey\": \"processSecret\", \"SessionToken\": \"processToken\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
        _env.WriteConfig($"[profile tool]\ncredential_process = {script}\n");

        var context = await Resolve(new CredentialSettings { ProfileName = "tool" });
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.Process, info.Source);
        Assert.Equal("****************0001", info.AccessKeyId);
        Assert.True(info.IsTemporary);
    }

    [Fact]
    public async Task A_failing_credential_process_is_a_clear_error()
    {
        var script = _env.WriteExecutable("fail.sh", "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n");
        _env.WriteConfig($"[profile tool]\ncredential_process = {script}\n");

        var context = await Resolve(new CredentialSettings { ProfileName = "tool" });
        var error = await Assert.ThrowsAsync<AwsDevException>(() => context.DescribeAsync(CancellationToken.None));

        Assert.Equal(ErrorIds.CredentialResolutionFailed, error.ErrorId);
    }

    [Fact]
    public async Task Web_identity_from_the_environment_assumes_the_role_with_the_token_file()
    {
        await using var sts = (StsStub)new StsStub().Start();
        var tokenFile = _env.WriteFile("token.jwt", "eyJhbGciOiJSUzI1NiJ9.test.token");
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile).Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci")
            .Set("AWS_ROLE_SESSION_NAME", "pipeline").Set("AWS_ENDPOINT_URL_STS", sts.Url.ToString());

        var context = await Resolve();
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.WebIdentity, info.Source);
        Assert.Equal("eyJhbGciOiJSUzI1NiJ9.test.token", sts.LastWebIdentityToken);
        Assert.True(info.IsTemporary);
    }

    [Fact]
    public async Task An_SSO_profile_exchanges_the_cached_token_at_the_portal()
    {
        await using var portal = (SsoPortalStub)new SsoPortalStub().Start();
        _env.WriteConfig("[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = us-east-2\n" +
                "[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\nsso_registration_scopes = sso:account:access\n")
            .Set("AWS_ENDPOINT_URL_SSO", portal.Url.ToString());
        var cache = Path.Combine(_env.Folder, ".aws", "sso", "cache");
        Directory.CreateDirectory(cache);
        var cacheKey = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes("corp"))).ToLowerInvariant();
        File.WriteAllText(Path.Combine(cache, cacheKey + ".json"),
            "{\"startUrl\":\"https://corp.awsapps.com/start\",\"region\":\"us-east-1\",\"accessToken\":\"cached-sso-access-token\"," +
            "\"expiresAt\":\"2099-01-01T00:00:00Z\",\"clientId\":\"client\",\"clientSecret\":\"secret\",\"registrationExpiresAt\":\"2099-01-01T00:00:00Z\",\"refreshToken\":\"refresh\"}");

        var context = await Resolve(new CredentialSettings { ProfileName = "sso-dev" });
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.Sso, info.Source);
        Assert.Equal("****************B001", info.AccessKeyId);
        Assert.Equal("cached-sso-access-token", portal.LastBearerToken);
        Assert.Equal("123456789012/Developer", portal.LastAccountAndRole);
        Assert.Equal("us-east-2", info.Region);
    }

    [Fact]
    public async Task Container_credentials_come_from_the_full_uri()
    {
        await using var endpoint = (ContainerCredentialsEndpoint)new ContainerCredentialsEndpoint().Start();
        _env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.Url + "v2/credentials").Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-auth");

        var context = await Resolve();
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.Container, info.Source);
        Assert.Equal("****************DS01", info.AccessKeyId);
        Assert.Equal("container-auth", endpoint.LastAuthorization);
    }

    [Fact]
    public async Task The_instance_role_and_region_come_from_the_metadata_service_last()
    {
        await using var imds = (ImdsEmulator)new ImdsEmulator().Start();
        _env.UseImds(imds.Url);

        var context = await Resolve();
        var info = await context.DescribeAsync(CancellationToken.None);

        Assert.Equal(CredentialSource.InstanceProfile, info.Source);
        Assert.Contains(ImdsEmulator.RoleName, context.SourceDetail);
        Assert.True(info.IsTemporary);
        Assert.Equal(imds.CurrentAccessKeyId, (await context.FetchAsync(CancellationToken.None)).AccessKey);
        Assert.Equal(ImdsEmulator.Region, info.Region);
        Assert.Equal(RegionSource.InstanceMetadata, info.RegionSource);
        Assert.NotNull(info.Expiration);
    }

    [Fact]
    public async Task Region_comes_from_parameter_then_session_then_environment_then_profile()
    {
        _env.WriteConfig("[default]\nregion = eu-north-1\n").Set("AWS_ACCESS_KEY_ID", UserKey).Set("AWS_SECRET_ACCESS_KEY", "s");
        async Task<(string, RegionSource)> RegionOf(string? parameter, string? session)
        {
            var context = await Resolve(new CredentialSettings { Region = parameter }, new CredentialSettings { Region = session });
            return (context.Region, context.RegionSource);
        }

        Assert.Equal(("eu-north-1", RegionSource.Profile), await RegionOf(null, null));
        _env.Set("AWS_DEFAULT_REGION", "sa-east-1");
        Assert.Equal(("sa-east-1", RegionSource.Environment), await RegionOf(null, null));
        _env.Set("AWS_REGION", "ca-central-1");
        Assert.Equal(("ca-central-1", RegionSource.Environment), await RegionOf(null, null));
        Assert.Equal(("ap-east-1", RegionSource.Session), await RegionOf(null, "ap-east-1"));
        Assert.Equal(("me-south-1", RegionSource.Parameter), await RegionOf("me-south-1", "ap-east-1"));
    }

    [Fact]
    public async Task Off_EC2_the_metadata_service_is_asked_once_and_then_remembered_as_absent()
    {
        ImdsClient.ForgetUnavailable();
        using var blackhole = new BlackholeServer();
        _env.UseImds(blackhole.Url).Set("AWS_ACCESS_KEY_ID", UserKey).Set("AWS_SECRET_ACCESS_KEY", "s");

        var first = await Resolve();
        var connectionsAfterFirst = blackhole.Connections;
        var second = await Resolve();

        Assert.Equal((RegionSource.Default, "us-east-1"), (first.RegionSource, first.Region));
        Assert.Equal(RegionSource.Default, second.RegionSource);
        Assert.InRange(connectionsAfterFirst, 1, 2);
        Assert.Equal(connectionsAfterFirst, blackhole.Connections);
        ImdsClient.ForgetUnavailable();
    }

    [Fact]
    public async Task No_credentials_off_EC2_names_the_metadata_service_among_what_was_tried()
    {
        ImdsClient.ForgetUnavailable();
        _env.UseImds(IsolatedAwsEnvironment.ClosedLoopbackUrl());

        var error = await ResolveFails();

        Assert.Equal(ErrorIds.NoCredentials, error.ErrorId);
        Assert.Contains("instance metadata unavailable", error.Message);
        ImdsClient.ForgetUnavailable();
    }
}
