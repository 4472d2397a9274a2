using AwsDevCmdlets.Core.Credentials;
using AwsDevCmdlets.Core.S3;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Core.Tests;

public sealed class S3TransferTests : IClassFixture<LocalS3Fixture>, IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly LocalS3Fixture _fixture;
    private readonly LocalS3 _s3;
    private readonly IsolatedAwsEnvironment _env = new();
    private readonly string _bucket = "transfer-" + Guid.NewGuid().ToString("N");

    public S3TransferTests(LocalS3Fixture fixture)
    {
        _fixture = fixture;
        _s3 = fixture.S3;
        _s3.CreateBucketAsync(_bucket).GetAwaiter().GetResult();
    }

    public void Dispose() => _env.Dispose();

    private Task<S3Service> Service() => _fixture.Service();

    private string LocalFile(string name, int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        var path = Path.Combine(_env.Folder, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    [Theory]
    [InlineData(100 * 1024)]
    [InlineData(20 * MiB)]
    public async Task A_download_whose_bytes_do_not_match_the_ETag_is_refused_and_leaves_nothing(int size)
    {
        using var s3 = await Service();
        var transfer = new S3Transfer(s3, new TransferOptions(), new TransferProgress(size, 1));
        var key = $"tampered-{size}.bin";
        await transfer.UploadAsync(LocalFile("source.bin", size, 1), new S3Location(_bucket, key), CancellationToken.None);
        // Change one byte of what s3rver stores, keeping the size: only the ETag can tell.
        var stored = Path.Combine(_s3.DataFolder, _bucket, key + "._S3rver_object");
        var bytes = File.ReadAllBytes(stored);
        bytes[size / 2] ^= 0xFF;
        File.WriteAllBytes(stored, bytes);
        var target = Path.Combine(_env.Folder, "target.bin");

        var error = await Assert.ThrowsAsync<AwsDevException>(() => transfer.DownloadAsync(new S3Location(_bucket, key), target, CancellationToken.None));

        Assert.Equal(ErrorIds.IntegrityCheckFailed, error.ErrorId);
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(_env.Folder, "*.awsdev-partial"));
    }

    [Fact]
    public async Task Objects_uploaded_in_parts_carry_S3s_multipart_ETag_and_part_sizes()
    {
        using var s3 = await Service();
        var transfer = new S3Transfer(s3, new TransferOptions(), new TransferProgress(0, 1));
        await transfer.UploadAsync(LocalFile("parts.bin", 20 * MiB, 4), new S3Location(_bucket, "parts.bin"), CancellationToken.None);

        var head = await s3.Client.GetObjectMetadataAsync(new Amazon.S3.Model.GetObjectMetadataRequest { BucketName = _bucket, Key = "parts.bin" });
        var part = await s3.Client.GetObjectMetadataAsync(new Amazon.S3.Model.GetObjectMetadataRequest { BucketName = _bucket, Key = "parts.bin", PartNumber = 1 });

        Assert.EndsWith("-3\"", head.ETag);
        Assert.Equal(20L * MiB, head.ContentLength);
        Assert.Equal(8L * MiB, part.ContentLength);
    }

    [Fact]
    public async Task An_object_replaced_mid_download_fails_the_download_instead_of_mixing_versions()
    {
        using var s3 = await Service();
        // One request at a time, so that the later parts are asked for after the object changed.
        var transfer = new S3Transfer(s3, new TransferOptions { Concurrency = 1 }, new TransferProgress(0, 1));
        await transfer.UploadAsync(LocalFile("v1.bin", 20 * MiB, 5), new S3Location(_bucket, "changing.bin"), CancellationToken.None);
        _s3.Proxy.DownloadBytesPerSecond = 4 * MiB;
        var target = Path.Combine(_env.Folder, "changing.bin");
        try
        {
            var download = transfer.DownloadAsync(new S3Location(_bucket, "changing.bin"), target, CancellationToken.None);
            await Task.Delay(500);
            await _s3.PutAsync(_bucket, "changing.bin", new byte[] { 1, 2, 3 });

            var error = await Assert.ThrowsAsync<AwsDevException>(() => download);

            Assert.True(error.ErrorId == ErrorIds.TransferFailed, error.Message + " / " + error.InnerException);
            Assert.Contains("replaced", error.Message);
            Assert.False(File.Exists(target));
            Assert.Empty(Directory.GetFiles(_env.Folder, "*.awsdev-partial"));
        }
        finally
        {
            _s3.Proxy.DownloadBytesPerSecond = 0;
        }
    }

    [Fact]
    public async Task Progress_counts_every_byte_once_across_parts_and_retries()
    {
        using var s3 = await Service();
        var progress = new TransferProgress(3 * 20 * MiB, 3);
        var transfer = new S3Transfer(s3, new TransferOptions(), progress);
        var path = LocalFile("progress.bin", 20 * MiB, 2);

        await transfer.UploadAsync(path, new S3Location(_bucket, "p.bin"), CancellationToken.None);
        _s3.Proxy.CutDownloads(1, 5 * MiB);
        await transfer.DownloadAsync(new S3Location(_bucket, "p.bin"), Path.Combine(_env.Folder, "p.bin"), CancellationToken.None);
        await transfer.CopyAsync(new S3Location(_bucket, "p.bin"), 20 * MiB, new S3Location(_bucket, "q.bin"), CancellationToken.None);

        Assert.Equal(3L * 20 * MiB, progress.BytesDone);
        Assert.Equal(100, progress.PercentComplete);
    }

    [Fact]
    public async Task Copies_past_the_multipart_copy_threshold_go_in_parts_and_match()
    {
        using var s3 = await Service();
        var transfer = new S3Transfer(s3, new TransferOptions { MultipartCopyThreshold = 8 * MiB }, new TransferProgress(0, 1));
        var path = LocalFile("big.bin", 19 * MiB, 3);
        await transfer.UploadAsync(path, new S3Location(_bucket, "big.bin"), CancellationToken.None);

        await transfer.CopyAsync(new S3Location(_bucket, "big.bin"), 19 * MiB, new S3Location(_bucket, "copy/big.bin"), CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(path), await _s3.GetAsync(_bucket, "copy/big.bin"));
        Assert.DoesNotContain(_s3.Proxy.OpenUploads, u => u.Bucket == _bucket);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("a/../../outside.txt")]
    [InlineData("/etc/passwd")]
    public void A_key_that_would_land_outside_the_destination_folder_is_refused(string relative)
    {
        var error = Assert.Throws<AwsDevException>(() => CopyPlanner.LocalTarget(_env.Folder, relative, new S3Location(_bucket, relative)));

        Assert.Equal(ErrorIds.InvalidCopy, error.ErrorId);
    }

    [Fact]
    public void Keys_land_below_the_destination_folder()
    {
        Assert.Equal(Path.Combine(_env.Folder, "a", "b.txt"), CopyPlanner.LocalTarget(_env.Folder, "a/b.txt", new S3Location(_bucket, "a/b.txt")));
        Assert.Equal(Path.Combine(_env.Folder, "a", "b.txt"), CopyPlanner.LocalTarget(_env.Folder, "a/./x/../b.txt", new S3Location(_bucket, "k")));
    }

    [Theory]
    [InlineData("*.txt", "", "a.txt", false)]
    [InlineData("*.txt", "", "a.log", true)]
    [InlineData("*", "*.log", "dir/x.log", true)]
    [InlineData("*", "*.log", "dir/x.txt", false)]
    [InlineData("", "", "anything", true)]
    [InlineData("dir/*", "", "dir/sub/deep.txt", false)]
    [InlineData("file?.txt", "", "file1.txt", false)]
    [InlineData("file[0-9].txt", "", "fileA.txt", true)]
    [InlineData("file[!0-9].txt", "", "fileA.txt", false)]
    public void Filters_follow_the_AWS_CLI_patterns_with_the_later_filter_winning(string exclude, string include, string path, bool copied)
    {
        var filter = new CopyPlanner.PathFilter(exclude.Length > 0 ? new[] { exclude } : Array.Empty<string>(), include.Length > 0 ? new[] { include } : Array.Empty<string>());

        Assert.Equal(copied, filter.Includes(path));
    }
}
