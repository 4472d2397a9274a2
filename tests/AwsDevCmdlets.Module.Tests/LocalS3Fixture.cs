using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Module.Tests;

/// <summary>One s3rver (behind the compatibility proxy) for a test class; each test uses its own buckets.</summary>
public sealed class LocalS3Fixture : IDisposable
{
    private int _buckets;

    public LocalS3 S3 { get; } = LocalS3.Start();

    public string NewBucketName() => $"test-{Interlocked.Increment(ref _buckets)}-{Guid.NewGuid():N}";

    public void Dispose() => S3.Dispose();
}

/// <summary>A session pointed at the local S3 endpoint through Set-DevCredential, as a user would.</summary>
public abstract class LocalS3Tests : IDisposable
{
    protected LocalS3Tests(LocalS3Fixture fixture)
    {
        Fixture = fixture;
        Env = new IsolatedAwsEnvironment();
        Session = new PowerShellSession();
        Session.Invoke($"Set-DevCredential -AccessKey {LocalS3.AccessKey} -SecretKey {LocalS3.SecretKey} -EndpointUrl '{fixture.S3.Url}' -Region us-east-1").ThrowIfErrors();
        Bucket = fixture.NewBucketName();
        fixture.S3.CreateBucketAsync(Bucket).GetAwaiter().GetResult();
    }

    protected LocalS3Fixture Fixture { get; }

    protected LocalS3 S3 => Fixture.S3;

    protected IsolatedAwsEnvironment Env { get; }

    protected PowerShellSession Session { get; }

    protected string Bucket { get; }

    protected static object? Property(object item, string name) => Ps.Property(item, name);

    public void Dispose()
    {
        Session.Dispose();
        Env.Dispose();
        GC.SuppressFinalize(this);
    }
}
