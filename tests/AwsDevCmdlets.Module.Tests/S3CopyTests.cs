using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using AwsDevCmdlets.TestServers;

namespace AwsDevCmdlets.Module.Tests;

public sealed class S3CopyTests : LocalS3Tests, IClassFixture<LocalS3Fixture>
{
    private const int MiB = 1024 * 1024;
    private readonly string _local;

    public S3CopyTests(LocalS3Fixture fixture)
        : base(fixture)
    {
        _local = Path.Combine(Env.Folder, "local");
        Directory.CreateDirectory(_local);
        S3.Proxy.DownloadBytesPerSecond = 0;
        S3.Proxy.FailingPartNumber = 0;
        S3.Proxy.UploadPartDelayMilliseconds = 0;
        S3.Proxy.CutDownloads(0, 0);
    }

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private string WriteLocal(string relative, byte[] content)
    {
        var path = Path.Combine(_local, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string[] PartialFiles() => Directory.GetFiles(Env.Folder, "*.awsdev-partial", SearchOption.AllDirectories);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300 * 1024)]
    [InlineData(8 * MiB)]
    [InlineData(8 * MiB + 1)]
    [InlineData(21 * MiB + 12345)]
    public async Task Files_round_trip_byte_exact(int size)
    {
        var content = Bytes(size, size);
        var path = WriteLocal($"up-{size}.bin", content);
        var back = Path.Combine(_local, $"down-{size}.bin");

        Session.Invoke("Copy-DevS3Item $args[0] $args[1]", path, $"s3://{Bucket}/data/{size}.bin").ThrowIfErrors();
        var stored = await S3.GetAsync(Bucket, $"data/{size}.bin");
        Session.Invoke("Copy-DevS3Item $args[0] $args[1]", $"s3://{Bucket}/data/{size}.bin", back).ThrowIfErrors();

        Assert.Equal(content, stored);
        Assert.Equal(content, File.ReadAllBytes(back));
        Assert.DoesNotContain(S3.Proxy.OpenUploads, u => u.Bucket == Bucket);
        Assert.Empty(PartialFiles());
    }

    [Fact]
    public async Task Keys_with_spaces_and_non_ASCII_characters_round_trip()
    {
        var content = Encoding.UTF8.GetBytes("grüße");
        var path = WriteLocal("file name é.txt", content);

        Session.Invoke("Copy-DevS3Item -LiteralSource $args[0] $args[1]".Replace("-LiteralSource ", string.Empty), path, $"s3://{Bucket}/dir with space/日本/").ThrowIfErrors();
        var listed = Session.Invoke("(Get-DevS3Object $args[0]).Key", Bucket).Single();
        Session.Invoke("Get-DevS3Object $args[0] | Copy-DevS3Item -Destination $args[1]", Bucket, Path.Combine(_local, "back") + "/").ThrowIfErrors();

        Assert.Equal("dir with space/日本/file name é.txt", listed);
        Assert.Equal(content, await S3.GetAsync(Bucket, "dir with space/日本/file name é.txt"));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_local, "back", "file name é.txt")));
    }

    [Fact]
    public async Task Objects_piped_from_a_listing_need_no_HEAD_to_be_planned()
    {
        await S3.PutManyAsync(Bucket, Enumerable.Range(0, 30).Select(i => $"piped/{i:D2}.bin"), k => Bytes(100, k.Length));
        var before = S3.Proxy.Requests;

        Session.Invoke("Get-DevS3Object $args[0] piped/ | Copy-DevS3Item -Destination $args[1]", Bucket, Path.Combine(_local, "piped") + "/").ThrowIfErrors();

        // One listing, then per object the download's HEAD and GET: no HEAD while planning.
        Assert.Equal(1 + (30 * 2), S3.Proxy.Requests - before);
        Assert.Equal(30, Directory.GetFiles(Path.Combine(_local, "piped")).Length);
    }

    [Fact]
    public void Recursive_copies_keep_relative_paths_both_ways_and_filter_like_the_AWS_CLI()
    {
        WriteLocal("tree/a.txt", Bytes(10, 1));
        WriteLocal("tree/sub/b.log", Bytes(20, 2));
        WriteLocal("tree/sub/deeper/c.txt", Bytes(30, 3));
        WriteLocal("tree/skip.tmp", Bytes(40, 4));

        Session.Invoke("Copy-DevS3Item $args[0] $args[1] -Recurse -Exclude '*.tmp'", Path.Combine(_local, "tree"), $"s3://{Bucket}/backup").ThrowIfErrors();
        var keys = Session.Invoke("Get-DevS3Object $args[0] | ForEach-Object Key", Bucket).ThrowIfErrors().Output.Select(o => o.ToString()).ToList();
        Session.Invoke("Copy-DevS3Item $args[0] $args[1] -Recurse -Exclude '*' -Include '*.txt'", $"s3://{Bucket}/backup", Path.Combine(_local, "restored")).ThrowIfErrors();

        Assert.Equal(new[] { "backup/a.txt", "backup/sub/b.log", "backup/sub/deeper/c.txt" }, keys);
        Assert.Equal(Bytes(10, 1), File.ReadAllBytes(Path.Combine(_local, "restored", "a.txt")));
        Assert.Equal(Bytes(30, 3), File.ReadAllBytes(Path.Combine(_local, "restored", "sub", "deeper", "c.txt")));
        Assert.False(File.Exists(Path.Combine(_local, "restored", "sub", "b.log")));
    }

    [Fact]
    public async Task Server_side_copies_copy_within_S3()
    {
        await S3.PutAsync(Bucket, "src/one.bin", Bytes(1000, 9));
        await S3.PutAsync(Bucket, "src/two/three.bin", Bytes(2000, 8));

        Session.Invoke("Copy-DevS3Item $args[0] $args[1] -Recurse", $"s3://{Bucket}/src/", $"s3://{Bucket}/dst/").ThrowIfErrors();
        Session.Invoke("Copy-DevS3Item $args[0] $args[1]", $"s3://{Bucket}/src/one.bin", $"s3://{Bucket}/renamed.bin").ThrowIfErrors();

        Assert.Equal(Bytes(1000, 9), await S3.GetAsync(Bucket, "dst/one.bin"));
        Assert.Equal(Bytes(2000, 8), await S3.GetAsync(Bucket, "dst/two/three.bin"));
        Assert.Equal(Bytes(1000, 9), await S3.GetAsync(Bucket, "renamed.bin"));
    }

    [Fact]
    public void WhatIf_lists_exactly_what_would_be_copied_and_copies_nothing()
    {
        WriteLocal("w/a.txt", Bytes(5, 1));
        WriteLocal("w/b.txt", Bytes(5, 2));

        var result = Session.Invoke("Copy-DevS3Item $args[0] $args[1] -Recurse -WhatIf", Path.Combine(_local, "w"), $"s3://{Bucket}/w/");
        var text = Session.Format($"Copy-DevS3Item '{Path.Combine(_local, "w")}' s3://{Bucket}/w/ -Recurse -WhatIf");
        var keys = Session.Invoke("@(Get-DevS3Object $args[0]).Count", Bucket).Single();

        result.ThrowIfErrors();
        Assert.Contains($"What if: Performing the operation \"Copy from {Path.Combine(_local, "w", "a.txt")}\" on target \"s3://{Bucket}/w/a.txt\".", text);
        Assert.Contains($"s3://{Bucket}/w/b.txt", text);
        Assert.Equal(0, keys);
    }

    [Fact]
    public void PassThru_writes_one_result_per_item_and_a_bad_item_does_not_stop_the_rest()
    {
        var good = WriteLocal("p/good.txt", Bytes(100, 1));

        var result = Session.Invoke("Copy-DevS3Item $args[0], $args[1], $args[2] $args[3] -PassThru",
            good, Path.Combine(_local, "p", "missing.txt"), $"s3://{Bucket}/absent.bin", $"s3://{Bucket}/out/");
        var results = result.Output.Select(o => o.BaseObject).ToList();

        var copied = Assert.Single(results);
        Assert.Equal("AwsDevCmdlets.S3CopyResult", copied.GetType().FullName);
        Assert.Equal("Copied", Property(copied, "Status")!.ToString());
        Assert.Equal(100L, Property(copied, "Size"));
        Assert.Equal($"s3://{Bucket}/out/good.txt", Property(copied, "Destination"));
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("LocalPathNotFound,", StringComparison.Ordinal) && e.CategoryInfo.Category == ErrorCategory.ObjectNotFound);
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("ObjectNotFound,", StringComparison.Ordinal) && (string)e.TargetObject == $"s3://{Bucket}/absent.bin");
    }

    [Fact]
    public async Task A_body_cut_short_is_read_again_from_where_it_stopped()
    {
        var content = Bytes(20 * MiB, 77);
        await S3.PutAsync(Bucket, "cut.bin", content);
        S3.Proxy.CutDownloads(2, 3 * MiB);

        Session.Invoke("Copy-DevS3Item $args[0] $args[1]", $"s3://{Bucket}/cut.bin", Path.Combine(_local, "cut.bin")).ThrowIfErrors();

        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_local, "cut.bin")));
    }

    [Fact]
    public async Task A_cancelled_download_leaves_no_partial_file_and_the_previous_file_untouched()
    {
        await S3.PutAsync(Bucket, "slow.bin", Bytes(4 * MiB, 5));
        var target = WriteLocal("slow.bin", Encoding.UTF8.GetBytes("previous version"));
        S3.Proxy.DownloadBytesPerSecond = 256 * 1024;

        using var powershell = PowerShell.Create();
        powershell.Runspace = Session.Runspace;
        powershell.AddScript("Copy-DevS3Item $args[0] $args[1]").AddArgument($"s3://{Bucket}/slow.bin").AddArgument(target);
        var invocation = powershell.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => PartialFiles().Length > 0, TimeSpan.FromSeconds(30)), "The download never started.");
        powershell.Stop();

        Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "Stop did not end the copy.");
        Assert.Equal(PSInvocationState.Stopped, powershell.InvocationStateInfo.State);
        Assert.Empty(PartialFiles());
        Assert.Equal("previous version", File.ReadAllText(target));
    }

    [Fact]
    public void A_failed_multipart_upload_is_aborted_and_reported()
    {
        var path = WriteLocal("fails.bin", Bytes(20 * MiB, 6));
        S3.Proxy.FailingPartNumber = 2;

        var error = Session.Invoke("Copy-DevS3Item $args[0] $args[1]", path, $"s3://{Bucket}/fails.bin").SingleError();

        Assert.StartsWith("AwsRequestFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(path, error.TargetObject);
        Assert.DoesNotContain(S3.Proxy.OpenUploads, u => u.Bucket == Bucket);
    }

    [Fact]
    public void An_interrupted_upload_leaves_no_multipart_upload_behind()
    {
        var path = WriteLocal("interrupted.bin", Bytes(40 * MiB, 7));
        S3.Proxy.UploadPartDelayMilliseconds = 2000;

        using var powershell = PowerShell.Create();
        powershell.Runspace = Session.Runspace;
        powershell.AddScript("Copy-DevS3Item $args[0] $args[1]").AddArgument(path).AddArgument($"s3://{Bucket}/interrupted.bin");
        var invocation = powershell.BeginInvoke();
        Assert.True(SpinWait.SpinUntil(() => S3.Proxy.OpenUploads.Any(u => u.Bucket == Bucket), TimeSpan.FromSeconds(30)), "The upload never started.");
        powershell.Stop();

        Assert.True(invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "Stop did not end the copy.");
        Assert.DoesNotContain(S3.Proxy.OpenUploads, u => u.Bucket == Bucket);
    }

    [Fact]
    public void Access_denied_is_a_permission_error_about_the_item()
    {
        var path = WriteLocal("denied.txt", Bytes(10, 1));
        S3.Proxy.DeniedBuckets[Bucket] = true;
        try
        {
            var upload = Session.Invoke("Copy-DevS3Item $args[0] $args[1]", path, $"s3://{Bucket}/denied.txt").SingleError();
            var listing = Session.Invoke("Get-DevS3Object $args[0]", Bucket).SingleError();

            Assert.StartsWith("AccessDenied,", upload.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, upload.CategoryInfo.Category);
            Assert.Equal(path, upload.TargetObject);
            Assert.Equal("AccessDenied,AwsDevCmdlets.Commands.GetDevS3ObjectCommand", listing.FullyQualifiedErrorId);
        }
        finally
        {
            S3.Proxy.DeniedBuckets.TryRemove(Bucket, out _);
        }
    }

    [Fact]
    public void Progress_is_one_bar_for_the_whole_copy()
    {
        for (var i = 0; i < 40; i++)
        {
            WriteLocal($"many/{i}.bin", Bytes(512 * 1024, i));
        }

        using var powershell = PowerShell.Create();
        powershell.Runspace = Session.Runspace;
        powershell.AddScript("Copy-DevS3Item $args[0] $args[1] -Recurse -ThrottleLimit 2").AddArgument(Path.Combine(_local, "many")).AddArgument($"s3://{Bucket}/many/");
        S3.Proxy.UploadPartDelayMilliseconds = 0;
        powershell.Invoke();

        var records = powershell.Streams.Progress.ToList();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal("Copy-DevS3Item", r.Activity));
        Assert.Single(records.Select(r => r.ActivityId).Distinct());
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
        Assert.Contains("20.0 MiB of 20.0 MiB", records[^1].StatusDescription);
        Assert.Contains("40 of 40 item(s)", records[^1].StatusDescription);
    }

    [Fact]
    public void The_backup_runbook_example_reports_and_fails_the_job_only_when_a_file_fails()
    {
        WriteLocal("site/index.html", Bytes(10, 1));
        WriteLocal("site/css/site.css", Bytes(20, 2));
        WriteLocal("site/cache.tmp", Bytes(30, 3));
        Env.Set("AWS_ACCESS_KEY_ID", LocalS3.AccessKey).Set("AWS_SECRET_ACCESS_KEY", LocalS3.SecretKey);
        var script = Path.Combine(PowerShellSession.RepoRoot, "examples", "Backup-FolderToS3.ps1");

        var (ok, okOutput) = ModuleLoadingTests.RunHostWith(script, "-Path", Path.Combine(_local, "site"), "-Uri", $"s3://{Bucket}/site", "-Exclude", "*.tmp", "-EndpointUrl", S3.Url.ToString());
        var (failed, failedOutput) = ModuleLoadingTests.RunHostWith(script, "-Path", Path.Combine(_local, "site"), "-Uri", "s3://no-such-bucket-here/site", "-EndpointUrl", S3.Url.ToString());

        Assert.True(ok == 0, okOutput);
        Assert.Matches(@"Copied\s+:\s+2", okOutput);
        Assert.Equal(1, failed);
        Assert.Matches(@"Failed\s+:\s+3", failedOutput);
        Assert.Contains("BucketNotFound", failedOutput);
    }

    [Theory]
    [InlineData("Copy-DevS3Item s3://bucket-name/key ./x -ThrottleLimit 0", "ParameterArgumentValidationError")]
    [InlineData("Copy-DevS3Item ./a ./b", "InvalidCopy")]
    [InlineData("Copy-DevS3Item s3://Bad_Bucket!/k ./x", "InvalidBucketName")]
    public void Bad_copies_get_clear_errors(string script, string errorId)
    {
        WriteLocal("a", Bytes(1, 1));
        Session.Invoke("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", _local).ThrowIfErrors();

        var error = Session.Invoke(script).SingleError();

        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
    }
}
