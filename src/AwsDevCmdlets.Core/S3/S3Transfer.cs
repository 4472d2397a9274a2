using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace AwsDevCmdlets.Core.S3
{
    /// <summary>How a copy is cut up and how much of it runs at once.</summary>
    public sealed class TransferOptions
    {
        public const long MiB = 1024 * 1024;

        /// <summary>Files and objects from this size on go in parts (uploads, downloads, copies).</summary>
        public long MultipartThreshold { get; set; } = 8 * MiB;

        public long PartSize { get; set; } = 8 * MiB;

        /// <summary>Server-side copies from this size on go in parts (S3's CopyObject stops at 5 GiB).</summary>
        public long MultipartCopyThreshold { get; set; } = 5L * 1024 * MiB;

        /// <summary>Requests in flight at once, across all items and parts.</summary>
        public int Concurrency { get; set; } = 16;

        /// <summary>Attempts at reading one range of a download whose body breaks off (the SDK retries only the request).</summary>
        public int ReadAttempts { get; set; } = 4;
    }

    /// <summary>
    /// Uploads, downloads and server-side copies that never leave a half-written file or an orphaned
    /// multipart upload: downloads go to a temporary file beside the target, are checked against the
    /// size and the ETag's MD5 where S3 gives one, and are renamed into place only when complete; a
    /// multipart upload or copy that fails or is cancelled is aborted.
    /// Written by hand rather than with TransferUtility: it must share one request budget and one
    /// progress total across many files, verify downloads, retry broken download bodies, and abort on
    /// cancellation as well as on failure.
    /// </summary>
    public sealed class S3Transfer
    {
        private const string PartialSuffix = ".awsdev-partial";
        private readonly S3Service _s3;
        private readonly TransferOptions _options;
        private readonly TransferProgress _progress;
        private readonly SemaphoreSlim _requests;

        public S3Transfer(S3Service s3, TransferOptions options, TransferProgress progress)
        {
            _s3 = s3;
            _options = options;
            _progress = progress;
            _requests = new SemaphoreSlim(Math.Max(1, options.Concurrency));
        }

        private AmazonS3Client Client => _s3.Client;

        public Task RunAsync(CopyItem item, CancellationToken cancellationToken)
        {
            switch (item.Kind)
            {
                case CopyKind.Upload:
                    return UploadAsync(item.LocalSource!, item.S3Destination!.Value, cancellationToken);
                case CopyKind.Download:
                    return DownloadAsync(item.S3Source!.Value, item.LocalDestination!, cancellationToken);
                default:
                    return CopyAsync(item.S3Source!.Value, item.Size, item.S3Destination!.Value, cancellationToken);
            }
        }

        public async Task UploadAsync(string path, S3Location to, CancellationToken cancellationToken)
        {
            var size = new FileInfo(path).Length;
            if (size < _options.MultipartThreshold)
            {
                await WithSlot(async () =>
                {
                    var sent = 0L;
                    var request = new PutObjectRequest { BucketName = to.Bucket, Key = to.Key, FilePath = path };
                    request.StreamTransferProgress += (_, e) => { sent += e.IncrementTransferred; _progress.AddBytes(e.IncrementTransferred); };
                    try
                    {
                        await S3Service.Call(() => Client.PutObjectAsync(request, cancellationToken), "PutObject", to.ToString(), cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        _progress.AddBytes(-sent);
                        throw;
                    }

                    return true;
                }, cancellationToken).ConfigureAwait(false);
                return;
            }

            var parts = Parts(size, _options.PartSize);
            await MultipartAsync(to, parts, async (uploadId, part) =>
            {
                var sent = 0L;
                var request = new UploadPartRequest
                {
                    BucketName = to.Bucket, Key = to.Key, UploadId = uploadId, PartNumber = part.Number,
                    FilePath = path, FilePosition = part.Offset, PartSize = part.Length, ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
                };
                request.StreamTransferProgress += (_, e) => { sent += e.IncrementTransferred; _progress.AddBytes(e.IncrementTransferred); };
                try
                {
                    var response = await S3Service.Call(() => Client.UploadPartAsync(request, cancellationToken), "UploadPart", to.ToString(), cancellationToken).ConfigureAwait(false);
                    return new PartETag { PartNumber = part.Number, ETag = response.ETag, ChecksumCRC32 = response.ChecksumCRC32 };
                }
                catch
                {
                    _progress.AddBytes(-sent);
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        public async Task CopyAsync(S3Location from, long size, S3Location to, CancellationToken cancellationToken)
        {
            if (size < _options.MultipartCopyThreshold)
            {
                await WithSlot(() => S3Service.Call(() => Client.CopyObjectAsync(new CopyObjectRequest
                {
                    SourceBucket = from.Bucket, SourceKey = from.Key, DestinationBucket = to.Bucket, DestinationKey = to.Key,
                }, cancellationToken), "CopyObject", from.ToString(), cancellationToken), cancellationToken).ConfigureAwait(false);
                _progress.AddBytes(size);
                return;
            }

            // Past 5 GiB S3 copies only in parts; parts of 512 MiB keep the request count low.
            var partSize = Math.Max(_options.PartSize, Math.Min(512 * TransferOptions.MiB, (size + 9999) / 10000));
            await MultipartAsync(to, Parts(size, partSize), async (uploadId, part) =>
            {
                var response = await S3Service.Call(() => Client.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = from.Bucket, SourceKey = from.Key, DestinationBucket = to.Bucket, DestinationKey = to.Key,
                    UploadId = uploadId, PartNumber = part.Number, FirstByte = part.Offset, LastByte = part.Offset + part.Length - 1,
                }, cancellationToken), "UploadPartCopy", from.ToString(), cancellationToken).ConfigureAwait(false);
                _progress.AddBytes(part.Length);
                return new PartETag { PartNumber = part.Number, ETag = response.ETag };
            }, cancellationToken).ConfigureAwait(false);
        }

        public async Task DownloadAsync(S3Location from, string path, CancellationToken cancellationToken)
        {
            var head = await WithSlot(() => S3Service.Call(() => Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = from.Bucket, Key = from.Key }, cancellationToken),
                "HeadObject", from.ToString(), cancellationToken), cancellationToken).ConfigureAwait(false);
            var size = head.ContentLength;
            var etag = head.ETag?.Trim('"') ?? string.Empty;
            var partsInETag = etag.Contains("-") && int.TryParse(etag.Substring(etag.IndexOf('-') + 1), out var n) ? n : 0;
            var md5Applies = head.ServerSideEncryptionMethod != ServerSideEncryptionMethod.AWSKMS && head.ServerSideEncryptionMethod != ServerSideEncryptionMethod.AWSKMSDSSE &&
                head.ServerSideEncryptionCustomerMethod == ServerSideEncryptionCustomerMethod.None;

            // Download in the parts the object was uploaded in when its ETag says so: each part's MD5 is
            // then taken while it is written, and the ETag checked without a second pass over the file.
            var partSize = partsInETag == 1 ? Math.Max(1, size) : _options.PartSize;
            if (partsInETag > 1 && md5Applies)
            {
                var first = await WithSlot(() => S3Service.Call(() => Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = from.Bucket, Key = from.Key, PartNumber = 1 }, cancellationToken),
                    "HeadObject", from.ToString(), cancellationToken), cancellationToken).ConfigureAwait(false);
                partSize = first.ContentLength;
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + PartialSuffix);
            var written = 0L;
            try
            {
                using (var create = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
                {
                    create.SetLength(size);
                }

                byte[][] partHashes;
                if ((size < _options.MultipartThreshold && partsInETag == 0) || partsInETag == 1)
                {
                    partHashes = new[] { await WithSlot(() => ReadRangeAsync(from, head.ETag, temporary, 0, size, n => { written += n; _progress.AddBytes(n); }, cancellationToken), cancellationToken).ConfigureAwait(false) };
                }
                else
                {
                    var parts = Parts(size, partSize);
                    partHashes = await Task.WhenAll(parts.Select(part => WithSlot(() => ReadRangeAsync(from, head.ETag, temporary, part.Offset, part.Length,
                        n => { Interlocked.Add(ref written, n); _progress.AddBytes(n); }, cancellationToken), cancellationToken))).ConfigureAwait(false);
                }

                Verify(from, temporary, size, etag, md5Applies, partsInETag, partHashes);
                Replace(temporary, path);
            }
            catch
            {
                _progress.AddBytes(-Interlocked.Read(ref written));
                TryDelete(temporary);
                throw;
            }
        }

        /// <summary>Temporary files this module leaves only when the process itself dies mid-download.</summary>
        public static bool IsPartialFile(string path) => path.EndsWith(PartialSuffix, StringComparison.Ordinal);

        // Reads one range into its place in the file, taking its MD5 on the way. A body that breaks off
        // is read again from where it stopped: the SDK retries requests, not the reading of a body.
        // Every range asks for the version the HEAD saw (If-Match): an object replaced mid-download
        // fails the download instead of mixing two versions in one file.
        private async Task<byte[]> ReadRangeAsync(S3Location from, string? etag, string file, long offset, long length, Action<long> onBytes, CancellationToken cancellationToken)
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var done = 0L;
            var buffer = new byte[81920];
            using var output = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, useAsync: true);
            for (var attempt = 1; ; attempt++)
            {
                if (length == 0)
                {
                    return md5.GetHashAndReset();
                }

                try
                {
                    var request = new GetObjectRequest { BucketName = from.Bucket, Key = from.Key, ByteRange = new ByteRange(offset + done, offset + length - 1), EtagToMatch = etag };
                    GetObjectResponse response;
                    try
                    {
                        response = await Client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    catch (AmazonServiceException e) when (e.StatusCode == System.Net.HttpStatusCode.PreconditionFailed)
                    {
                        throw new AwsDevException(ErrorIds.TransferFailed, ErrorKind.InvalidOperation,
                            $"{from} was replaced while it was being downloaded; nothing was written. Copy it again.", from.ToString(), e);
                    }
                    catch (Exception e) when (!(e is AwsDevException) && !cancellationToken.IsCancellationRequested)
                    {
                        throw AwsErrors.Translate(e, $"S3 GetObject ({from})", from.ToString());
                    }

                    using var disposeResponse = response;
                    using var body = response.ResponseStream;
                    output.Position = offset + done;
                    int read;
                    while (done < length && (read = await body.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, length - done), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await output.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                        md5.AppendData(buffer, 0, read);
                        done += read;
                        onBytes(read);
                    }

                    if (done < length)
                    {
                        throw new IOException($"The body of {from} ended {length - done} byte(s) early.");
                    }

                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return md5.GetHashAndReset();
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && attempt < _options.ReadAttempts &&
                    (e is IOException || e is AmazonClientException || (e is AwsDevException dev && (dev.Kind == ErrorKind.ConnectionError || dev.Kind == ErrorKind.OperationTimeout))))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt) * (0.5 + Jitter.NextDouble())), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new AwsDevException(ErrorIds.TransferFailed, ErrorKind.ConnectionError, $"Reading {from} failed {attempt} time(s): {e.Message}", from.ToString(), e);
                }
            }
        }

        private static void Verify(S3Location from, string file, long size, string etag, bool md5Applies, int partsInETag, byte[][] partHashes)
        {
            var actualSize = new FileInfo(file).Length;
            if (actualSize != size)
            {
                throw new AwsDevException(ErrorIds.IntegrityCheckFailed, ErrorKind.InvalidData, $"{from}: {actualSize} bytes arrived where {size} were expected.", from.ToString());
            }

            if (!md5Applies || etag.Length == 0)
            {
                return;
            }

            string actual;
            if (partsInETag >= 1)
            {
                if (partHashes.Length != partsInETag)
                {
                    // Uploaded in parts of unequal sizes: the boundaries taken from part 1 are not the
                    // uploader's, so the ETag cannot be recomputed; the size check above stands alone.
                    return;
                }

                using var md5 = MD5.Create();
                actual = Hex(md5.ComputeHash(partHashes.SelectMany(h => h).ToArray())) + "-" + partsInETag;
            }
            else if (partHashes.Length == 1)
            {
                actual = Hex(partHashes[0]);
            }
            else
            {
                using var md5 = MD5.Create();
                using var stream = File.OpenRead(file);
                actual = Hex(md5.ComputeHash(stream));
            }

            if (!string.Equals(actual, etag, StringComparison.OrdinalIgnoreCase) && IsMd5Shaped(etag))
            {
                throw new AwsDevException(ErrorIds.IntegrityCheckFailed, ErrorKind.InvalidData, $"{from}: the downloaded bytes hash to {actual}, not to the ETag {etag}.", from.ToString());
            }
        }

        private static bool IsMd5Shaped(string etag) => etag.Length >= 32 && etag.Substring(0, 32).All(Uri.IsHexDigit);

        private static string Hex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();

        private static void Replace(string temporary, string path)
        {
            if (File.Exists(path))
            {
                File.Replace(temporary, path, null);
            }
            else
            {
                File.Move(temporary, path);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Still open by a reader that is being cancelled; the name marks it as partial.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private async Task MultipartAsync(S3Location to, IReadOnlyList<Part> parts, Func<string, Part, Task<PartETag>> sendPart, CancellationToken cancellationToken)
        {
            // Not cancelled half-way: S3 may create the upload after the client gave up on the answer, and
            // an upload whose id never arrived can never be aborted. A stop is honoured right after it.
            using var createDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var created = await WithSlot(() => S3Service.Call(() => Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = to.Bucket, Key = to.Key, ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
            }, createDeadline.Token), "CreateMultipartUpload", to.ToString(), CancellationToken.None), cancellationToken).ConfigureAwait(false);
            var uploadId = created.UploadId;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var etags = await Task.WhenAll(parts.Select(async part =>
                {
                    try
                    {
                        return await WithSlot(() => sendPart(uploadId, part), failFast.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        // One part failed for good: stop starting the others.
                        failFast.Cancel();
                        throw;
                    }
                })).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                await WithSlot(() => S3Service.Call(() => Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = to.Bucket, Key = to.Key, UploadId = uploadId, PartETags = etags.OrderBy(p => p.PartNumber).ToList(),
                }, cancellationToken), "CompleteMultipartUpload", to.ToString(), cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await AbortAsync(to, uploadId).ConfigureAwait(false);
                throw;
            }
        }

        // Runs even when the copy was cancelled, with its own deadline: an orphaned upload is billed forever.
        private async Task AbortAsync(S3Location to, string uploadId)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = to.Bucket, Key = to.Key, UploadId = uploadId }, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonServiceException s && s.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Already gone.
            }
        }

        private async Task<T> WithSlot<T>(Func<Task<T>> work, CancellationToken cancellationToken)
        {
            await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await work().ConfigureAwait(false);
            }
            finally
            {
                _requests.Release();
            }
        }

        private static IReadOnlyList<Part> Parts(long size, long partSize)
        {
            var parts = new List<Part>();
            for (long offset = 0, number = 1; offset < size || parts.Count == 0; offset += partSize, number++)
            {
                parts.Add(new Part((int)number, offset, Math.Min(partSize, size - offset)));
                if (size == 0)
                {
                    break;
                }
            }

            return parts;
        }

        private static readonly Random Jitter = new Random();

        private readonly struct Part
        {
            public Part(int number, long offset, long length)
            {
                Number = number;
                Offset = offset;
                Length = length;
            }

            public int Number { get; }

            public long Offset { get; }

            public long Length { get; }
        }
    }
}
