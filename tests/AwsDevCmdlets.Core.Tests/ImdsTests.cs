using System.Net;
using AwsDevCmdlets.Core.Imds;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Core.Tests;

/// <summary>The emulator answers as the real service does; the client copes with what the real service does.</summary>
public sealed class ImdsTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new(new HttpClientHandler { UseProxy = false });
    private readonly ImdsEmulator _imds = new();

    public Task InitializeAsync()
    {
        _imds.Start();
        ImdsClient.ForgetUnavailable();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _imds.DisposeAsync();
        ImdsClient.ForgetUnavailable();
    }

    private async Task<HttpResponseMessage> Put(string? ttl, bool forwarded = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_imds.Url, "latest/api/token"));
        if (ttl != null)
        {
            request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", ttl);
        }

        if (forwarded)
        {
            request.Headers.Add("X-Forwarded-For", "10.0.0.1");
        }

        return await Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_imds.Url, "latest/" + path));
        if (token != null)
        {
            request.Headers.Add("X-aws-ec2-metadata-token", token);
        }

        return await Http.SendAsync(request);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.BadRequest)]
    [InlineData("0", HttpStatusCode.BadRequest)]
    [InlineData("21601", HttpStatusCode.BadRequest)]
    [InlineData("abc", HttpStatusCode.BadRequest)]
    [InlineData("1", HttpStatusCode.OK)]
    [InlineData("21600", HttpStatusCode.OK)]
    public async Task The_emulator_checks_the_token_TTL_like_the_service(string? ttl, HttpStatusCode expected) =>
        Assert.Equal(expected, (await Put(ttl)).StatusCode);

    [Fact]
    public async Task The_emulator_refuses_a_forwarded_token_request_and_unknown_or_missing_tokens()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Put("60", forwarded: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("meta-data/instance-id", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("meta-data/instance-id", "not-a-token")).StatusCode);

        var token = await (await Put("60")).Content.ReadAsStringAsync();
        Assert.Equal(ImdsEmulator.InstanceId, await (await Get("meta-data/instance-id", token)).Content.ReadAsStringAsync());
        _imds.ExpireAllTokens();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get("meta-data/instance-id", token)).StatusCode);
    }

    [Fact]
    public async Task The_emulator_lists_directories_and_answers_404_for_what_is_absent()
    {
        var token = await (await Put("60")).Content.ReadAsStringAsync();

        var placement = await (await Get("meta-data/placement/", token)).Content.ReadAsStringAsync();
        var spot = await Get("meta-data/spot/instance-action", token);
        var tags = await Get("meta-data/tags/instance/", token);

        Assert.Equal("availability-zone\navailability-zone-id\nregion", placement);
        Assert.Equal(HttpStatusCode.NotFound, spot.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, tags.StatusCode);
        Assert.Contains("iam/", (await (await Get("meta-data/", token)).Content.ReadAsStringAsync()).Split('\n'));
    }

    private ImdsClient Client(bool allowV1 = false, double timeoutSeconds = 1) =>
        new(new ImdsOptions { Endpoint = _imds.Url, AllowV1 = allowV1, Timeout = TimeSpan.FromSeconds(timeoutSeconds) });

    [Fact]
    public async Task The_client_uses_one_token_and_renews_it_when_it_expires()
    {
        var client = Client();

        Assert.Equal(ImdsEmulator.InstanceId, await client.GetStringAsync("meta-data/instance-id", CancellationToken.None));
        Assert.Equal(ImdsEmulator.Region, await client.GetStringAsync("meta-data/placement/region", CancellationToken.None));
        Assert.Equal(1, _imds.TokenRequests);
        _imds.ExpireAllTokens();
        Assert.Equal(ImdsEmulator.InstanceId, await client.GetStringAsync("meta-data/instance-id", CancellationToken.None));

        Assert.Equal(2, _imds.TokenRequests);
        Assert.Equal("IMDSv2", client.ImdsVersion);
    }

    [Fact]
    public async Task IMDSv1_is_used_only_when_allowed_and_the_token_is_refused()
    {
        _imds.TokenStatusOverride = 403;
        _imds.RequireToken = false;

        var refused = await Assert.ThrowsAsync<AwsDevException>(() => Client().GetStringAsync("meta-data/instance-id", CancellationToken.None));
        var v1 = Client(allowV1: true);
        var id = await v1.GetStringAsync("meta-data/instance-id", CancellationToken.None);

        Assert.Equal(ErrorIds.ImdsUnavailable, refused.ErrorId);
        Assert.Contains("-AllowImdsV1", refused.Message);
        Assert.Equal(ImdsEmulator.InstanceId, id);
        Assert.Equal("IMDSv1", v1.ImdsVersion);
    }

    [Fact]
    public async Task A_token_request_that_hangs_while_plain_requests_answer_names_the_hop_limit()
    {
        _imds.HangTokenRequests = true;

        var error = await Assert.ThrowsAsync<AwsDevException>(() => Client(timeoutSeconds: 1).GetStringAsync("meta-data/instance-id", CancellationToken.None));

        Assert.Equal(ErrorIds.ImdsUnavailable, error.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, error.Kind);
        Assert.Contains("hop limit", error.Message);
    }

    [Fact]
    public async Task A_disabled_service_is_never_contacted()
    {
        var client = new ImdsClient(new ImdsOptions { Endpoint = _imds.Url, Disabled = true });

        var error = await Assert.ThrowsAsync<AwsDevException>(() => client.GetStringAsync("meta-data/instance-id", CancellationToken.None));

        Assert.Equal(ErrorIds.ImdsUnavailable, error.ErrorId);
        Assert.Contains("AWS_EC2_METADATA_DISABLED", error.Message);
        Assert.Equal(0, _imds.TokenRequests);
    }

    [Fact]
    public async Task Disabling_the_service_takes_effect_even_after_it_was_used()
    {
        var enabled = ImdsClient.For(new ImdsOptions { Endpoint = _imds.Url });
        await enabled.GetStringAsync("meta-data/instance-id", CancellationToken.None);

        var disabled = ImdsClient.For(new ImdsOptions { Endpoint = _imds.Url, Disabled = true });

        Assert.False(await disabled.IsAvailableAsync(CancellationToken.None));
        Assert.Equal(1, _imds.TokenRequests);
    }

    [Fact]
    public async Task Every_attempt_is_bounded_by_the_timeout_and_the_attempts_setting()
    {
        using var blackhole = new BlackholeServer();
        var client = new ImdsClient(new ImdsOptions { Endpoint = blackhole.Url, Timeout = TimeSpan.FromSeconds(0.2), Attempts = 3 });

        var error = await Assert.ThrowsAsync<AwsDevException>(() => client.GetStringAsync("meta-data/instance-id", CancellationToken.None));

        Assert.Equal(ErrorKind.OperationTimeout, error.Kind);
        Assert.Contains("after 3 attempt(s)", error.Message);
        Assert.True(blackhole.Connections >= 3, $"{blackhole.Connections} connection(s)");
    }

    [Fact]
    public void The_shared_settings_are_read_from_the_environment()
    {
        using var env = new IsolatedAwsEnvironment();
        env.Set("AWS_EC2_METADATA_DISABLED", null).Set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")
            .Set("AWS_METADATA_SERVICE_TIMEOUT", "2.5").Set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "4");

        var ipv6 = ImdsOptions.FromEnvironment();
        env.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234");
        var explicitEndpoint = InstanceMetadataService.Options(null, null, allowV1: false);
        var overridden = InstanceMetadataService.Options("http://127.0.0.1:5678", 0.5, allowV1: true);

        Assert.Equal(new Uri("http://[fd00:ec2::254]"), ipv6.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(2.5), ipv6.Timeout);
        Assert.Equal(4, ipv6.Attempts);
        Assert.Equal(new Uri("http://127.0.0.1:1234"), explicitEndpoint.Endpoint);
        Assert.Equal(new Uri("http://127.0.0.1:5678"), overridden.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(0.5), overridden.Timeout);
        Assert.True(overridden.AllowV1);
    }
}
