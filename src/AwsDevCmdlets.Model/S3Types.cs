using System;

namespace AwsDevCmdlets
{
    /// <summary>A bucket of the account, as Get-DevS3Bucket writes it.</summary>
    public sealed class S3BucketInfo
    {
        public string BucketName { get; set; } = string.Empty;

        public DateTime? CreationDate { get; set; }

        public string Uri => "s3://" + BucketName;

        public override string ToString() => Uri;
    }

    /// <summary>
    /// One object, as Get-DevS3Object writes it. Its Uri binds to Copy-DevS3Item's -Source, and its
    /// BucketName to any -BucketName, so listings pipe straight into the next cmdlet.
    /// </summary>
    public sealed class S3ObjectInfo
    {
        public string BucketName { get; set; } = string.Empty;

        public string Key { get; set; } = string.Empty;

        public long Size { get; set; }

        public DateTime? LastModified { get; set; }

        public string? ETag { get; set; }

        public string? StorageClass { get; set; }

        public string Uri => "s3://" + BucketName + "/" + Key;

        public override string ToString() => Uri;
    }

    /// <summary>A common prefix ("folder") of a delimited listing.</summary>
    public sealed class S3PrefixInfo
    {
        public string BucketName { get; set; } = string.Empty;

        public string Prefix { get; set; } = string.Empty;

        public string Uri => "s3://" + BucketName + "/" + Prefix;

        public override string ToString() => Uri;
    }

    public enum CopyStatus
    {
        Copied,
        Failed,
        Cancelled,
    }

    /// <summary>What Copy-DevS3Item -PassThru writes for each item.</summary>
    public sealed class S3CopyResult
    {
        public string Source { get; set; } = string.Empty;

        public string Destination { get; set; } = string.Empty;

        public long Size { get; set; }

        public CopyStatus Status { get; set; }

        public TimeSpan Duration { get; set; }

        public override string ToString() => $"{Source} -> {Destination}";
    }
}
