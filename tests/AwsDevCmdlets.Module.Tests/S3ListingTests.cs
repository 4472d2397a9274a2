using System.Management.Automation;
using System.Text;

namespace AwsDevCmdlets.Module.Tests;

public sealed class S3ListingTests : LocalS3Tests, IClassFixture<LocalS3Fixture>
{
    public S3ListingTests(LocalS3Fixture fixture)
        : base(fixture)
    {
    }

    private List<string> Strings(string script, params object[] arguments) =>
        Session.Invoke(script, arguments).ThrowIfErrors().Output.Select(o => o.ToString()).ToList();

    [Fact]
    public async Task Listing_pages_past_a_thousand_keys_in_S3_order()
    {
        var keys = Enumerable.Range(0, 1100).Select(i => $"many/item-{i:D5}.txt").ToList();
        await S3.PutManyAsync(Bucket, keys, k => Encoding.UTF8.GetBytes(k));
        await S3.PutAsync(Bucket, "other.txt", new byte[] { 1 });

        var listed = Strings("Get-DevS3Object $args[0] many/ | ForEach-Object { $_.Key }", Bucket);

        Assert.Equal(keys, listed);
    }

    [Fact]
    public async Task A_delimiter_gives_folders_even_when_they_hold_only_deeper_keys()
    {
        await S3.PutManyAsync(Bucket, new[] { "a.txt", "docs/readme.md", "deep/er/still/file.bin", "docs/guide/intro.md", "z.txt" }, _ => new byte[] { 42 });

        var root = Session.Invoke("Get-DevS3Object $args[0] -Delimiter /", Bucket).ThrowIfErrors().Output.Select(o => o.BaseObject).ToList();
        var docs = Strings("Get-DevS3Object -Uri ('s3://' + $args[0] + '/docs/') -Delimiter / | ForEach-Object { $_.Uri }", Bucket);

        Assert.Equal(new[] { "a.txt", "deep/", "docs/", "z.txt" }, root.Select(o => (string)(Property(o, "Key") ?? Property(o, "Prefix"))!));
        Assert.Equal("AwsDevCmdlets.S3PrefixInfo", root[1].GetType().FullName);
        Assert.Equal(new[] { $"s3://{Bucket}/docs/guide/", $"s3://{Bucket}/docs/readme.md" }, docs);
    }

    [Fact]
    public async Task Keys_with_spaces_and_non_ASCII_characters_list_as_they_are()
    {
        var keys = new[] { "a b/c d.txt", "naïve/日本語.txt", "plus+and&amp.txt", "ümlaut.txt" };
        await S3.PutManyAsync(Bucket, keys, _ => new byte[] { 1, 2, 3 });

        var listed = Strings("Get-DevS3Object $args[0] | ForEach-Object { $_.Key }", Bucket);
        var one = Session.Invoke("Get-DevS3Object $args[0] -Key 'naïve/日本語.txt'", Bucket).Single();

        Assert.Equal(keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))), listed);
        Assert.Equal(3L, Property(one, "Size"));
        Assert.Equal($"s3://{Bucket}/naïve/日本語.txt", Property(one, "Uri"));
    }

    [Fact]
    public async Task Stopping_downstream_stops_the_listing_after_the_first_page()
    {
        await S3.PutManyAsync(Bucket, Enumerable.Range(0, 2500).Select(i => $"k{i:D5}"), _ => new byte[] { 1 });
        var before = S3.Proxy.Requests;

        var first = Strings("$n = 0; do { Get-DevS3Object $args[0] | ForEach-Object { $_.Key; if (++$n -ge 5) { break } } } while ($false)", Bucket);

        Assert.Equal(new[] { "k00000", "k00001", "k00002", "k00003", "k00004" }, first);
        Assert.Equal(1, S3.Proxy.Requests - before);
    }

    [Fact]
    public async Task Key_returns_one_object_or_a_non_terminating_ObjectNotFound()
    {
        await S3.PutAsync(Bucket, "present.txt", Encoding.UTF8.GetBytes("hello"));

        var result = Session.Invoke("Get-DevS3Object $args[0] -Key present.txt; Get-DevS3Object $args[0] -Key absent.txt; 'went on'", Bucket);

        Assert.Equal(5L, Property(result.Output[0].BaseObject, "Size"));
        Assert.Equal("went on", result.Output[1].BaseObject);
        var error = Assert.Single(result.Errors);
        Assert.Equal("ObjectNotFound,AwsDevCmdlets.Commands.GetDevS3ObjectCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"s3://{Bucket}/absent.txt", error.TargetObject);
    }

    [Fact]
    public void A_missing_bucket_is_BucketNotFound()
    {
        var error = Session.Invoke("Get-DevS3Object no-such-bucket-here").SingleError();

        Assert.Equal("BucketNotFound,AwsDevCmdlets.Commands.GetDevS3ObjectCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Theory]
    [InlineData("Get-DevS3Object -Uri http://bucket/key", "InvalidS3Uri")]
    [InlineData("Get-DevS3Object -Uri s3:///key", "InvalidS3Uri")]
    [InlineData("Get-DevS3Object 'bad bucket'", "InvalidBucketName")]
    [InlineData("New-DevS3Bucket Upper-Case", "InvalidBucketName")]
    [InlineData("New-DevS3Bucket 192.168.1.1", "InvalidBucketName")]
    public void Malformed_names_get_a_clear_error(string script, string errorId)
    {
        var error = Session.Invoke(script).SingleError();

        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void Buckets_are_created_listed_piped_and_removed()
    {
        var name = Fixture.NewBucketName();

        var created = Session.Invoke("New-DevS3Bucket $args[0]", name).Single();
        var listed = Strings("Get-DevS3Bucket | ForEach-Object { $_.BucketName }");
        Session.Invoke("Get-DevS3Bucket | Where-Object BucketName -eq $args[0] | Get-DevS3Object", name).ThrowIfErrors();
        Session.Invoke("Remove-DevS3Bucket $args[0] -Confirm:$false", name).ThrowIfErrors();

        Assert.Equal(name, Property(created, "BucketName"));
        Assert.Contains(name, listed);
        Assert.DoesNotContain(name, Strings("Get-DevS3Bucket | ForEach-Object { $_.BucketName }"));
    }

    [Fact]
    public async Task Removing_a_bucket_that_holds_objects_needs_Force()
    {
        await S3.PutManyAsync(Bucket, Enumerable.Range(0, 1200).Select(i => $"x/{i}"), _ => new byte[] { 1 });

        var refused = Session.Invoke("Remove-DevS3Bucket $args[0] -Confirm:$false", Bucket).SingleError();
        Session.Invoke("Remove-DevS3Bucket $args[0] -WhatIf", Bucket).ThrowIfErrors();
        var stillThere = Strings("Get-DevS3Bucket | ForEach-Object { $_.BucketName }");
        Session.Invoke("Remove-DevS3Bucket $args[0] -Force -Confirm:$false", Bucket).ThrowIfErrors();

        Assert.Equal("BucketNotEmpty,AwsDevCmdlets.Commands.RemoveDevS3BucketCommand", refused.FullyQualifiedErrorId);
        Assert.Contains(Bucket, stillThere);
        Assert.DoesNotContain(Bucket, Strings("Get-DevS3Bucket | ForEach-Object { $_.BucketName }"));
    }

    [Fact]
    public async Task The_default_view_shows_folders_as_PRE()
    {
        await S3.PutManyAsync(Bucket, new[] { "dir/file.txt", "top.txt" }, _ => new byte[] { 1, 2 });

        var text = Session.Format($"Get-DevS3Object {Bucket} -Delimiter /");

        Assert.Matches(@"LastModified\s+Size\s+StorageClass\s+Key", text);
        Assert.Matches(@"PRE\s+dir/", text);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+2\s+STANDARD\s+top\.txt", text);
    }
}
