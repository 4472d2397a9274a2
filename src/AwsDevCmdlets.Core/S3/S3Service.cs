using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets.Core.S3
{
    /// <summary>Buckets and listings: what `aws s3 ls`, `mb` and `rb` do, as typed objects.</summary>
    public sealed class S3Service : IDisposable
    {
        private readonly AmazonS3Client _client;

        public S3Service(AwsContext context)
        {
            Context = context;
            _client = AwsClientFactory.CreateS3(context);
        }

        public AwsContext Context { get; }

        internal AmazonS3Client Client => _client;

        public async Task<IReadOnlyList<S3BucketInfo>> ListBucketsAsync(CancellationToken cancellationToken)
        {
            var buckets = new List<S3BucketInfo>();
            string? token = null;
            do
            {
                var response = await Call(() => _client.ListBucketsAsync(new ListBucketsRequest { ContinuationToken = token }, cancellationToken), "ListBuckets", null, cancellationToken).ConfigureAwait(false);
                buckets.AddRange((response.Buckets ?? new List<S3Bucket>()).Select(b => new S3BucketInfo { BucketName = b.BucketName, CreationDate = b.CreationDate?.ToUniversalTime() }));
                token = response.ContinuationToken;
            }
            while (!string.IsNullOrEmpty(token));

            return buckets;
        }

        /// <summary>
        /// Lists page by page, handing each object (<see cref="S3ObjectInfo"/>) and, with a delimiter,
        /// each common prefix (<see cref="S3PrefixInfo"/>) to <paramref name="onItem"/> as its page arrives;
        /// the next page is asked for only when the caller has taken the last one.
        /// </summary>
        public async Task ListAsync(string bucket, string prefix, string? delimiter, Func<object, Task> onItem, CancellationToken cancellationToken)
        {
            var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = delimiter };
            do
            {
                var response = await Call(() => _client.ListObjectsV2Async(request, cancellationToken), "ListObjectsV2", $"s3://{bucket}/{prefix}", cancellationToken).ConfigureAwait(false);
                // S3 returns keys and prefixes in one sorted sequence; merge the two lists back into it.
                var items = (response.S3Objects ?? new List<S3Object>()).Select(o => (Name: o.Key, Item: (object)ToInfo(bucket, o)))
                    .Concat((response.CommonPrefixes ?? new List<string>()).Select(p => (Name: p, Item: (object)new S3PrefixInfo { BucketName = bucket, Prefix = p })))
                    .OrderBy(i => i.Name, StringComparer.Ordinal);
                foreach (var (_, item) in items)
                {
                    await onItem(item).ConfigureAwait(false);
                }

                request.ContinuationToken = response.NextContinuationToken;
                if (response.IsTruncated == true && string.IsNullOrEmpty(request.ContinuationToken))
                {
                    throw new AwsDevException(ErrorIds.AwsRequestFailed, ErrorKind.InvalidData, $"The listing of s3://{bucket}/{prefix} was truncated without a continuation token.", bucket);
                }
            }
            while (!string.IsNullOrEmpty(request.ContinuationToken));
        }

        /// <summary>One object's metadata (HEAD), or ObjectNotFound.</summary>
        public async Task<S3ObjectInfo> HeadAsync(string bucket, string key, CancellationToken cancellationToken)
        {
            var uri = $"s3://{bucket}/{key}";
            try
            {
                var response = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
                return new S3ObjectInfo
                {
                    BucketName = bucket,
                    Key = key,
                    Size = response.ContentLength,
                    LastModified = response.LastModified?.ToUniversalTime(),
                    ETag = response.ETag,
                    StorageClass = response.StorageClass?.Value ?? "STANDARD",
                };
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // HEAD answers carry no error code: tell a missing bucket from a missing key.
                if (!await BucketExistsAsync(bucket, cancellationToken).ConfigureAwait(false))
                {
                    throw new AwsDevException(ErrorIds.BucketNotFound, ErrorKind.ObjectNotFound, $"The bucket '{bucket}' does not exist.", uri, e);
                }

                throw new AwsDevException(ErrorIds.ObjectNotFound, ErrorKind.ObjectNotFound, $"{uri} does not exist.", uri, e);
            }
            catch (Exception e) when (!(e is AwsDevException) && !cancellationToken.IsCancellationRequested)
            {
                throw AwsErrors.Translate(e, $"HEAD {uri}", uri);
            }
        }

        public async Task<bool> BucketExistsAsync(string bucket, CancellationToken cancellationToken)
        {
            try
            {
                await _client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }

        public async Task<S3BucketInfo> CreateBucketAsync(string bucket, CancellationToken cancellationToken)
        {
            S3Location.ValidateBucketName(bucket, forCreation: true);
            var request = new PutBucketRequest { BucketName = bucket };
            if (Context.Region != AwsContextResolver.DefaultRegion && Context.EndpointUrl == null)
            {
                // us-east-1 is the one region S3 refuses to be told explicitly.
                request.BucketRegionName = Context.Region;
            }

            await Call(() => _client.PutBucketAsync(request, cancellationToken), "CreateBucket", bucket, cancellationToken).ConfigureAwait(false);
            return new S3BucketInfo { BucketName = bucket, CreationDate = DateTime.UtcNow };
        }

        /// <summary>Deletes a bucket; with <paramref name="force"/>, first every object and unfinished upload in it.</summary>
        public async Task DeleteBucketAsync(string bucket, bool force, Action<string> progress, CancellationToken cancellationToken)
        {
            if (force)
            {
                var batch = new List<KeyVersion>();
                var deleted = 0L;
                async Task FlushAsync()
                {
                    var response = await Call(() => _client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = batch.ToList(), Quiet = true }, cancellationToken),
                        "DeleteObjects", bucket, cancellationToken).ConfigureAwait(false);
                    if (response.DeleteErrors?.Count > 0)
                    {
                        var first = response.DeleteErrors[0];
                        throw new AwsDevException(ErrorIds.AccessDenied, ErrorKind.PermissionDenied,
                            $"{response.DeleteErrors.Count} object(s) of s3://{bucket} could not be deleted; the first, '{first.Key}': {first.Code} {first.Message}", bucket);
                    }

                    deleted += batch.Count;
                    progress($"Deleted {deleted} object(s) from s3://{bucket}.");
                    batch.Clear();
                }

                await ListAsync(bucket, string.Empty, null, async item =>
                {
                    batch.Add(new KeyVersion { Key = ((S3ObjectInfo)item).Key });
                    if (batch.Count == 1000)
                    {
                        await FlushAsync().ConfigureAwait(false);
                    }
                }, cancellationToken).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    await FlushAsync().ConfigureAwait(false);
                }

                await AbortUploadsAsync(bucket, string.Empty, cancellationToken).ConfigureAwait(false);
            }

            await Call(() => _client.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, cancellationToken), "DeleteBucket", bucket, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Multipart uploads begun under the prefix and neither completed nor aborted.</summary>
        public async Task<IReadOnlyList<(string Key, string UploadId)>> ListOpenUploadsAsync(string bucket, string prefix, CancellationToken cancellationToken)
        {
            var response = await Call(() => _client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix }, cancellationToken),
                "ListMultipartUploads", bucket, cancellationToken).ConfigureAwait(false);
            return (response.MultipartUploads ?? new List<MultipartUpload>()).Select(u => (u.Key, u.UploadId)).ToList();
        }

        private async Task AbortUploadsAsync(string bucket, string prefix, CancellationToken cancellationToken)
        {
            foreach (var (key, uploadId) in await ListOpenUploadsAsync(bucket, prefix, cancellationToken).ConfigureAwait(false))
            {
                await Call(() => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, cancellationToken),
                    "AbortMultipartUpload", key, cancellationToken).ConfigureAwait(false);
            }
        }

        internal static S3ObjectInfo ToInfo(string bucket, S3Object o) => new S3ObjectInfo
        {
            BucketName = bucket,
            Key = o.Key,
            Size = o.Size ?? 0,
            LastModified = o.LastModified?.ToUniversalTime(),
            ETag = o.ETag,
            StorageClass = o.StorageClass?.Value ?? "STANDARD",
        };

        internal static async Task<T> Call<T>(Func<Task<T>> call, string operation, object? target, CancellationToken cancellationToken)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is AwsDevException) && !cancellationToken.IsCancellationRequested)
            {
                throw AwsErrors.Translate(e, $"S3 {operation}" + (target != null ? $" ({target})" : string.Empty), target);
            }
        }

        public void Dispose() => _client.Dispose();
    }
}
