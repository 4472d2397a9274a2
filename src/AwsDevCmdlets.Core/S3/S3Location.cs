using System;
using System.Net;
using System.Text.RegularExpressions;

namespace AwsDevCmdlets.Core.S3
{
    /// <summary>A bucket and a key (or key prefix), parsed from and written as s3://bucket/key.</summary>
    public readonly struct S3Location
    {
        private const string Scheme = "s3://";

        // The rules S3 enforces on new buckets (general purpose), checked before any request.
        private static readonly Regex StrictBucket = new Regex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant);

        // Buckets made before March 2018 in us-east-1 may hold capitals and underscores; they can still be read.
        private static readonly Regex LegacyBucket = new Regex(@"^[A-Za-z0-9._-]{3,255}$", RegexOptions.CultureInvariant);

        public S3Location(string bucket, string key)
        {
            Bucket = bucket;
            Key = key;
        }

        public string Bucket { get; }

        public string Key { get; }

        public static bool IsS3Uri(string? value) => value != null && value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

        public static S3Location Parse(string uri)
        {
            if (!IsS3Uri(uri))
            {
                throw new AwsDevException(ErrorIds.InvalidS3Uri, ErrorKind.InvalidArgument, $"'{uri}' is not an S3 URI: expected s3://bucket/key.", uri);
            }

            var rest = uri.Substring(Scheme.Length);
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest.Substring(0, slash);
            var key = slash < 0 ? string.Empty : rest.Substring(slash + 1);
            if (bucket.Length == 0)
            {
                throw new AwsDevException(ErrorIds.InvalidS3Uri, ErrorKind.InvalidArgument, $"'{uri}' names no bucket: expected s3://bucket/key.", uri);
            }

            ValidateBucketName(bucket, forCreation: false, target: uri);
            return new S3Location(bucket, key);
        }

        /// <summary>Refuses a name S3 would refuse, with the rule it breaks.</summary>
        public static void ValidateBucketName(string bucket, bool forCreation, object? target = null)
        {
            string? problem = null;
            if (!forCreation)
            {
                if (!LegacyBucket.IsMatch(bucket))
                {
                    problem = "bucket names are 3 to 63 characters of lowercase letters, digits, dots and hyphens";
                }
            }
            else if (!StrictBucket.IsMatch(bucket))
            {
                problem = "bucket names are 3 to 63 characters of lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit";
            }
            else if (bucket.Contains(".."))
            {
                problem = "bucket names may not hold two dots in a row";
            }
            else if (IPAddress.TryParse(bucket, out _))
            {
                problem = "bucket names may not look like an IP address";
            }
            else if (bucket.StartsWith("xn--", StringComparison.Ordinal) || bucket.StartsWith("sthree-", StringComparison.Ordinal) ||
                bucket.EndsWith("-s3alias", StringComparison.Ordinal) || bucket.EndsWith("--ol-s3", StringComparison.Ordinal))
            {
                problem = "the prefixes xn-- and sthree- and the suffixes -s3alias and --ol-s3 are reserved";
            }

            if (problem != null)
            {
                throw new AwsDevException(ErrorIds.InvalidBucketName, ErrorKind.InvalidArgument, $"'{bucket}' is not a valid bucket name: {problem}.", target ?? bucket);
            }
        }

        public override string ToString() => Scheme + Bucket + "/" + Key;
    }
}
