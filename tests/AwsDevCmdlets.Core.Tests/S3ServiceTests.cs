using System.Text;
using AwsDevCmdlets.Core.Credentials;
using AwsDevCmdlets.Core.S3;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Core.Tests;

public sealed class LocalS3Fixture : IDisposable
{
    public LocalS3 S3 { get; } = LocalS3.Start();

    /// <summary>An S3 service for the local endpoint, resolved as the cmdlets resolve it.</summary>
    public async Task<S3Service> Service() => new(await new AwsContextResolver().ResolveAsync(
        new CredentialSettings { AccessKeyId = LocalS3.AccessKey, SecretAccessKey = LocalS3.SecretKey, EndpointUrl = S3.Url.ToString(), Region = "us-east-1" }, null, CancellationToken.None));

    public void Dispose() => S3.Dispose();
}

public sealed class S3ServiceTests : IClassFixture<LocalS3Fixture>, IDisposable
{
    private readonly LocalS3Fixture _fixture;
    private readonly LocalS3 _s3;
    private readonly IsolatedAwsEnvironment _env = new();
    private readonly string _bucket = "core-" + Guid.NewGuid().ToString("N");

    public S3ServiceTests(LocalS3Fixture fixture)
    {
        _fixture = fixture;
        _s3 = fixture.S3;
        _s3.CreateBucketAsync(_bucket).GetAwaiter().GetResult();
    }

    public void Dispose() => _env.Dispose();

    private Task<S3Service> Service() => _fixture.Service();

    [Fact]
    public async Task Listing_follows_continuation_tokens()
    {
        var keys = Enumerable.Range(0, 1500).Select(i => $"p/{i:D5}").ToList();
        await _s3.PutManyAsync(_bucket, keys, k => Encoding.UTF8.GetBytes(k));
        using var s3 = await Service();

        var listed = new List<string>();
        await s3.ListAsync(_bucket, "p/", null, item => { listed.Add(((S3ObjectInfo)item).Key); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal(keys, listed);
    }
}
