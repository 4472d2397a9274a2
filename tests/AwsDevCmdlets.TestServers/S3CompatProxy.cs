using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>
    /// Sits in front of s3rver and makes up for where it differs from S3 as AWSSDK.S3 4.x and the AWS CLI
    /// use it, so that tests against it prove something:
    /// - aws-chunked (SigV4 streaming) bodies are decoded, where s3rver would store the framing;
    /// - ListObjectsV2 is answered here from s3rver's full listing: S3's byte order, common prefixes that
    ///   hold only deeper keys, max-keys counting prefixes, continuation tokens, encoding-type=url;
    /// - multipart uploads are tracked here, so AbortMultipartUpload, ListParts and ListMultipartUploads
    ///   answer as S3 does (s3rver: 405, 405, 501), and UploadPartCopy is done as GET range + UploadPart;
    /// - a copy source with an encoded '/' is decoded;
    /// - objects completed from parts carry S3's multipart ETag ("...-N") and answer HEAD ?partNumber.
    /// Everything else is passed through unchanged.
    /// </summary>
    public sealed class S3CompatProxy : LoopbackServer
    {
        private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";
        private static readonly HashSet<string> HopHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Keep-Alive",
        };

        private readonly HttpClient _upstream;
        private readonly Uri _s3rver;
        private readonly ConcurrentDictionary<string, Upload> _uploads = new ConcurrentDictionary<string, Upload>(StringComparer.Ordinal);

        // Objects completed from parts: s3rver gives them the MD5 of the whole content as ETag and ignores
        // partNumber; S3 gives "MD5-of-part-MD5s-N" and answers HEAD ?partNumber with that part's size.
        private readonly ConcurrentDictionary<string, (string ETag, long[] PartSizes)> _multipartObjects = new ConcurrentDictionary<string, (string, long[])>(StringComparer.Ordinal);
        private int _requests;

        private readonly string _dataFolder;

        /// <param name="dataFolder">s3rver's -d folder: listings are read from it (see ListObjectsV2Async).</param>
        public S3CompatProxy(Uri s3rver, string dataFolder)
        {
            _s3rver = s3rver;
            _dataFolder = dataFolder;
            _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false, MaxConnectionsPerServer = 64 })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }

        public int Requests => _requests;

        private int _cutsLeft;
        private long _cutAfter;

        /// <summary>Every request on these buckets answers 403 AccessDenied, as a bucket policy would.</summary>
        public ConcurrentDictionary<string, bool> DeniedBuckets { get; } = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        /// <summary>Object bodies are sent at about this many bytes per second (0: as fast as they come).</summary>
        public int DownloadBytesPerSecond { get; set; }

        /// <summary>UploadPart with this part number answers 500 InternalError, every time (0: none).</summary>
        public int FailingPartNumber { get; set; }

        /// <summary>UploadPart waits this long before it is passed on (to interrupt an upload mid-way).</summary>
        public int UploadPartDelayMilliseconds { get; set; }

        /// <summary>The next <paramref name="count"/> object bodies break off after <paramref name="afterBytes"/> bytes.</summary>
        public void CutDownloads(int count, long afterBytes)
        {
            _cutAfter = afterBytes;
            Volatile.Write(ref _cutsLeft, count);
        }

        /// <summary>Uploads begun and neither completed nor aborted, as ListMultipartUploads would show them.</summary>
        public IReadOnlyList<(string Bucket, string Key, string UploadId)> OpenUploads =>
            _uploads.Values.Select(u => (u.Bucket, u.Key, u.UploadId)).ToList();

        protected override async Task HandleAsync(HttpContext context)
        {
            Interlocked.Increment(ref _requests);
            var request = context.Request;
            var (bucket, key) = SplitPath(request.Path.Value ?? "/");
            var query = request.Query;
            // AWSDEV_PROXY_TRACE=1 prints every request, for finding out what a client really sent.
            if (Environment.GetEnvironmentVariable("AWSDEV_PROXY_TRACE") == "1")
            {
                Console.Error.WriteLine($"proxy: {request.Method} {request.Path}{request.QueryString} bucket={bucket} key={key}");
            }

            try
            {
                if (DeniedBuckets.ContainsKey(bucket))
                {
                    await ErrorAsync(context, 403, "AccessDenied", "Access Denied").ConfigureAwait(false);
                }
                else if (bucket.Length > 0 && key.Length == 0 && HttpMethods.IsGet(request.Method) && query["list-type"] == "2")
                {
                    await ListObjectsV2Async(context, bucket).ConfigureAwait(false);
                }
                else if (bucket.Length > 0 && key.Length == 0 && HttpMethods.IsGet(request.Method) && query.ContainsKey("uploads"))
                {
                    await ListUploadsAsync(context, bucket).ConfigureAwait(false);
                }
                else if (key.Length > 0 && query.ContainsKey("uploadId"))
                {
                    await MultipartAsync(context, bucket, key, query["uploadId"].ToString()).ConfigureAwait(false);
                }
                else if (key.Length > 0 && HttpMethods.IsPost(request.Method) && query.ContainsKey("uploads"))
                {
                    await CreateUploadAsync(context, bucket, key).ConfigureAwait(false);
                }
                else if (key.Length > 0 && HttpMethods.IsGet(request.Method))
                {
                    if (!await IfMatchHoldsAsync(context, bucket, key).ConfigureAwait(false))
                    {
                        await ErrorAsync(context, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold").ConfigureAwait(false);
                        return;
                    }

                    using var response = await ForwardAsync(context, null).ConfigureAwait(false);
                    await RelayObjectBodyAsync(context, response, MultipartETag(bucket, key)).ConfigureAwait(false);
                }
                else if (key.Length > 0 && HttpMethods.IsHead(request.Method))
                {
                    using var response = await ForwardAsync(context, null).ConfigureAwait(false);
                    await RelayHeadAsync(context, response, bucket, key).ConfigureAwait(false);
                }
                else
                {
                    if (key.Length > 0 && (HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method)))
                    {
                        // Overwritten or deleted: no longer the object that was completed from parts.
                        _multipartObjects.TryRemove(bucket + "/" + key, out _);
                    }

                    using var response = await ForwardAsync(context, null).ConfigureAwait(false);
                    await RelayAsync(context, response).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away: nothing to answer.
            }
        }

        private async Task CreateUploadAsync(HttpContext context, string bucket, string key)
        {
            using var response = await ForwardAsync(context, null).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var uploadId = Child(XDocument.Parse(Encoding.UTF8.GetString(body)).Root!, "UploadId");
                _uploads[uploadId] = new Upload(bucket, key, uploadId);
            }

            await RelayAsync(context, response, body).ConfigureAwait(false);
        }

        private async Task MultipartAsync(HttpContext context, string bucket, string key, string uploadId)
        {
            var request = context.Request;
            _uploads.TryGetValue(uploadId, out var upload);
            if (upload == null || upload.Bucket != bucket || upload.Key != key)
            {
                await ErrorAsync(context, 404, "NoSuchUpload", "The specified upload does not exist.").ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsDelete(request.Method))
            {
                _uploads.TryRemove(uploadId, out _);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            if (HttpMethods.IsGet(request.Method))
            {
                await ListPartsAsync(context, upload).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsPut(request.Method) && int.TryParse(request.Query["partNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber))
            {
                if (UploadPartDelayMilliseconds > 0)
                {
                    await Task.Delay(UploadPartDelayMilliseconds, context.RequestAborted).ConfigureAwait(false);
                }

                if (partNumber == FailingPartNumber)
                {
                    await ErrorAsync(context, 500, "InternalError", "We encountered an internal error. Please try again.").ConfigureAwait(false);
                    return;
                }

                HttpResponseMessage response;
                var copySource = request.Headers["x-amz-copy-source"].ToString();
                if (copySource.Length > 0)
                {
                    response = await UploadPartCopyAsync(context, copySource).ConfigureAwait(false);
                }
                else
                {
                    response = await ForwardAsync(context, null).ConfigureAwait(false);
                }

                using (response)
                {
                    var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    var etag = response.Headers.ETag?.Tag ?? string.Empty;
                    if (response.IsSuccessStatusCode)
                    {
                        upload.Parts[partNumber] = (etag, response.RequestMessage?.Content?.Headers.ContentLength ?? 0, DateTime.UtcNow);
                        if (copySource.Length > 0)
                        {
                            context.Response.ContentType = "application/xml";
                            await context.Response.WriteAsync(
                                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyPartResult xmlns=\"{S3}\"><LastModified>{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}</LastModified><ETag>{SecurityElement.Escape(etag)}</ETag></CopyPartResult>")
                                .ConfigureAwait(false);
                            return;
                        }
                    }

                    await RelayAsync(context, response, body).ConfigureAwait(false);
                }

                return;
            }

            if (HttpMethods.IsPost(request.Method))
            {
                using var response = await ForwardAsync(context, null).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var text = Encoding.UTF8.GetString(body);
                if (response.IsSuccessStatusCode && !text.Contains("<Error>", StringComparison.Ordinal))
                {
                    _uploads.TryRemove(uploadId, out _);
                    var parts = upload.Parts.OrderBy(p => p.Key).Select(p => p.Value).ToList();
                    var etag = "\"" + Convert.ToHexString(System.Security.Cryptography.MD5.HashData(
                        parts.SelectMany(p => Convert.FromHexString(p.ETag.Trim('"'))).ToArray())).ToLowerInvariant() + "-" + parts.Count + "\"";
                    _multipartObjects[bucket + "/" + key] = (etag, parts.Select(p => p.Size).ToArray());
                    var completion = XDocument.Parse(text);
                    var etagElement = completion.Root!.Elements().FirstOrDefault(e => e.Name.LocalName == "ETag");
                    if (etagElement != null)
                    {
                        etagElement.Value = etag;
                    }

                    body = Encoding.UTF8.GetBytes(completion.Declaration + completion.ToString(SaveOptions.DisableFormatting));
                }

                await RelayAsync(context, response, body).ConfigureAwait(false);
                return;
            }

            await ErrorAsync(context, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.").ConfigureAwait(false);
        }

        // s3rver has no UploadPartCopy: read the source range and upload it as the part.
        private async Task<HttpResponseMessage> UploadPartCopyAsync(HttpContext context, string copySource)
        {
            var source = Uri.UnescapeDataString(copySource.Split('?')[0]).TrimStart('/');
            using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(_s3rver, EscapePath("/" + source)));
            CopyHeaders(context.Request.Headers, get, name => name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.StartsWith("x-amz-date", StringComparison.OrdinalIgnoreCase));
            get.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
            var range = context.Request.Headers["x-amz-copy-source-range"].ToString();
            if (range.Length > 0)
            {
                get.Headers.TryAddWithoutValidation("Range", range);
            }

            using var sourceResponse = await _upstream.SendAsync(get, HttpCompletionOption.ResponseContentRead, context.RequestAborted).ConfigureAwait(false);
            if (!sourceResponse.IsSuccessStatusCode)
            {
                return new HttpResponseMessage(sourceResponse.StatusCode) { Content = new ByteArrayContent(await sourceResponse.Content.ReadAsByteArrayAsync().ConfigureAwait(false)) };
            }

            var bytes = await sourceResponse.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return await ForwardAsync(context, new ByteArrayContent(bytes), skipHeader: name => name.StartsWith("x-amz-copy-source", StringComparison.OrdinalIgnoreCase)).ConfigureAwait(false);
        }

        private Task ListPartsAsync(HttpContext context, Upload upload)
        {
            var parts = upload.Parts.OrderBy(p => p.Key).Select(p => new XElement(S3 + "Part",
                new XElement(S3 + "PartNumber", p.Key), new XElement(S3 + "LastModified", p.Value.When.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
                new XElement(S3 + "ETag", p.Value.ETag), new XElement(S3 + "Size", p.Value.Size)));
            return XmlAsync(context, new XElement(S3 + "ListPartsResult",
                new XElement(S3 + "Bucket", upload.Bucket), new XElement(S3 + "Key", upload.Key), new XElement(S3 + "UploadId", upload.UploadId),
                new XElement(S3 + "IsTruncated", "false"), parts));
        }

        private Task ListUploadsAsync(HttpContext context, string bucket)
        {
            var prefix = context.Request.Query["prefix"].ToString();
            var uploads = _uploads.Values.Where(u => u.Bucket == bucket && u.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(u => u.Key, StringComparer.Ordinal)
                .Select(u => new XElement(S3 + "Upload", new XElement(S3 + "Key", u.Key), new XElement(S3 + "UploadId", u.UploadId),
                    new XElement(S3 + "Initiated", u.Initiated.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))));
            return XmlAsync(context, new XElement(S3 + "ListMultipartUploadsResult",
                new XElement(S3 + "Bucket", bucket), new XElement(S3 + "Prefix", prefix), new XElement(S3 + "IsTruncated", "false"), uploads));
        }

        private async Task ListObjectsV2Async(HttpContext context, string bucket)
        {
            var query = context.Request.Query;
            var prefix = query["prefix"].ToString();
            var delimiter = query["delimiter"].ToString();
            var encode = query["encoding-type"] == "url";
            var maxKeys = int.TryParse(query["max-keys"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 1000;
            var token = query["continuation-token"].ToString();
            var startAfter = query["start-after"].ToString();
            var after = token.Length > 0 ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : startAfter;

            // s3rver returns at most 1000 keys per request, in its file system's order, and pages by
            // comparing keys as JavaScript strings: paging through it can skip keys. So the listing is
            // read from s3rver's own store (FilesystemStore: KEY._S3rver_object beside KEY._S3rver_object.md5).
            var bucketFolder = Path.Combine(_dataFolder, bucket);
            if (!Directory.Exists(bucketFolder))
            {
                using var missing = await ForwardAsync(context, null).ConfigureAwait(false);
                await RelayAsync(context, missing).ConfigureAwait(false);
                return;
            }

            const string objectSuffix = "._S3rver_object";
            var lastSlash = prefix.LastIndexOf('/');
            var start = lastSlash < 0 ? bucketFolder : Path.Combine(bucketFolder, prefix.Substring(0, lastSlash));
            var files = Directory.Exists(start) ? Directory.EnumerateFiles(start, "*" + objectSuffix, SearchOption.AllDirectories) : Enumerable.Empty<string>();
            var objects = files
                .Select(file => (File: file, Key: Path.GetRelativePath(bucketFolder, file).Replace(Path.DirectorySeparatorChar, '/')))
                .Select(f => (f.File, Key: f.Key.Substring(0, f.Key.Length - objectSuffix.Length)))
                .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Select(f =>
                {
                    var info = new FileInfo(f.File);
                    var md5 = File.Exists(f.File + ".md5") ? File.ReadAllText(f.File + ".md5").Trim() : Convert.ToHexString(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(f.File))).ToLowerInvariant();
                    return (f.Key, Element: new XElement(S3 + "Contents",
                        new XElement(S3 + "Key", f.Key),
                        new XElement(S3 + "LastModified", info.LastWriteTimeUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
                        new XElement(S3 + "ETag", MultipartETag(bucket, f.Key) ?? "\"" + md5 + "\""),
                        new XElement(S3 + "Size", info.Length),
                        new XElement(S3 + "StorageClass", "STANDARD")));
                })
                .OrderBy(c => c.Key, Utf8Order.Instance)
                .ToList();

            var entries = new List<(string Key, XElement? Contents)>();
            var seenPrefixes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (objectKey, element) in objects)
            {
                var rest = objectKey.Substring(prefix.Length);
                var cut = delimiter.Length > 0 ? rest.IndexOf(delimiter, StringComparison.Ordinal) : -1;
                if (cut >= 0)
                {
                    var commonPrefix = prefix + rest.Substring(0, cut + delimiter.Length);
                    if (seenPrefixes.Add(commonPrefix))
                    {
                        entries.Add((commonPrefix, null));
                    }
                }
                else
                {
                    entries.Add((objectKey, element));
                }
            }

            var page = entries.Where(e => after.Length == 0 || Utf8Order.Instance.Compare(e.Key, after) > 0).ToList();
            var truncated = page.Count > maxKeys;
            page = page.Take(maxKeys).ToList();
            string Enc(string value) => encode ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;

            var result = new XElement(S3 + "ListBucketResult",
                new XElement(S3 + "Name", bucket),
                new XElement(S3 + "Prefix", Enc(prefix)),
                delimiter.Length > 0 ? new XElement(S3 + "Delimiter", Enc(delimiter)) : null,
                new XElement(S3 + "MaxKeys", maxKeys),
                new XElement(S3 + "KeyCount", page.Count),
                new XElement(S3 + "IsTruncated", truncated ? "true" : "false"),
                encode ? new XElement(S3 + "EncodingType", "url") : null,
                token.Length > 0 ? new XElement(S3 + "ContinuationToken", token) : null,
                truncated ? new XElement(S3 + "NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key))) : null,
                startAfter.Length > 0 ? new XElement(S3 + "StartAfter", Enc(startAfter)) : null);
            foreach (var (entryKey, contents) in page)
            {
                if (contents != null)
                {
                    var copy = new XElement(contents);
                    copy.Element(S3 + "Key")!.Value = Enc(entryKey);
                    result.Add(copy);
                }
                else
                {
                    result.Add(new XElement(S3 + "CommonPrefixes", new XElement(S3 + "Prefix", Enc(entryKey))));
                }
            }

            await XmlAsync(context, result).ConfigureAwait(false);
        }

        private async Task<HttpResponseMessage> ForwardAsync(HttpContext context, HttpContent? replacementBody, Func<string, bool>? skipHeader = null)
        {
            var request = context.Request;
            var target = new Uri(_s3rver, request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
            var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
            var chunked = request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal) ||
                request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase);
            CopyHeaders(request.Headers, message, name => !(skipHeader?.Invoke(name) ?? false) &&
                !(chunked && (name.Equals("x-amz-decoded-content-length", StringComparison.OrdinalIgnoreCase) || name.Equals("x-amz-trailer", StringComparison.OrdinalIgnoreCase) ||
                              name.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase))));

            if (replacementBody != null)
            {
                message.Content = replacementBody;
                message.Headers.Remove("x-amz-content-sha256");
                message.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
            }
            else if (chunked)
            {
                var length = long.Parse(request.Headers["x-amz-decoded-content-length"].ToString(), CultureInfo.InvariantCulture);
                message.Content = new StreamContent(new AwsChunkedDecodingStream(request.Body));
                message.Content.Headers.ContentLength = length;
                message.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
                var otherEncodings = request.Headers.ContentEncoding.ToString().Split(',').Select(e => e.Trim()).Where(e => e.Length > 0 && e != "aws-chunked").ToList();
                foreach (var encoding in otherEncodings)
                {
                    message.Content.Headers.ContentEncoding.Add(encoding);
                }
            }
            else if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                message.Content = new StreamContent(request.Body);
                if (request.ContentLength is long contentLength)
                {
                    message.Content.Headers.ContentLength = contentLength;
                }
            }

            if (message.Content != null)
            {
                foreach (var header in request.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && !HopHeaders.Contains(h.Key)))
                {
                    if (!(chunked && header.Key.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)))
                    {
                        message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
                    }
                }
            }

            var copySource = message.Headers.TryGetValues("x-amz-copy-source", out var values) ? values.First() : null;
            if (copySource != null && copySource.Contains("%2F", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Remove("x-amz-copy-source");
                message.Headers.TryAddWithoutValidation("x-amz-copy-source", copySource.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));
            }

            return await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }

        private static void CopyHeaders(IHeaderDictionary from, HttpRequestMessage to, Func<string, bool> include)
        {
            foreach (var header in from)
            {
                if (HopHeaders.Contains(header.Key) || header.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || !include(header.Key))
                {
                    continue;
                }

                to.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        private static async Task RelayAsync(HttpContext context, HttpResponseMessage response, byte[]? body = null)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopHeaders.Contains(header.Key) || (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && body == null))
                {
                    context.Response.Headers[header.Key] = new StringValues(header.Value.ToArray());
                }
            }

            if (body != null)
            {
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }

        private static string Child(XElement parent, string localName) =>
            parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value ?? string.Empty;

        // s3rver ignores If-Match; S3 checks it before anything else (the range included).
        private async Task<bool> IfMatchHoldsAsync(HttpContext context, string bucket, string key)
        {
            var ifMatch = context.Request.Headers.IfMatch.ToString();
            if (ifMatch.Length == 0 || ifMatch == "*")
            {
                return true;
            }

            // Read from s3rver's store (KEY._S3rver_object.md5) rather than asked for: no extra request.
            var current = MultipartETag(bucket, key);
            var md5File = Path.Combine(_dataFolder, bucket, key.Replace('/', Path.DirectorySeparatorChar) + "._S3rver_object.md5");
            if (current is null && File.Exists(md5File))
            {
                current = "\"" + (await File.ReadAllTextAsync(md5File, context.RequestAborted).ConfigureAwait(false)).Trim() + "\"";
            }

            if (current is null)
            {
                // Not known here (the .md5 file is written on first read): let the request through.
                return true;
            }

            return current != null && string.Equals(ifMatch, current, StringComparison.Ordinal);
        }

        private string? MultipartETag(string bucket, string key) =>
            _multipartObjects.TryGetValue(bucket + "/" + key, out var entry) ? entry.ETag : null;

        private async Task RelayHeadAsync(HttpContext context, HttpResponseMessage response, string bucket, string key)
        {
            if (!response.IsSuccessStatusCode || !_multipartObjects.TryGetValue(bucket + "/" + key, out var entry))
            {
                await RelayAsync(context, response).ConfigureAwait(false);
                return;
            }

            response.Headers.Remove("ETag");
            response.Headers.TryAddWithoutValidation("ETag", entry.ETag);
            response.Headers.TryAddWithoutValidation("x-amz-mp-parts-count", entry.PartSizes.Length.ToString(CultureInfo.InvariantCulture));
            if (int.TryParse(context.Request.Query["partNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out var part) && part >= 1 && part <= entry.PartSizes.Length)
            {
                response.Content.Headers.ContentLength = entry.PartSizes[part - 1];
            }

            await RelayAsync(context, response).ConfigureAwait(false);
        }

        // GetObject bodies, with the faults a download must survive: slow, or cut short.
        private async Task RelayObjectBodyAsync(HttpContext context, HttpResponseMessage response, string? multipartETag)
        {
            if (multipartETag != null && response.IsSuccessStatusCode)
            {
                response.Headers.Remove("ETag");
                response.Headers.TryAddWithoutValidation("ETag", multipartETag);
            }


            var cut = response.IsSuccessStatusCode && Interlocked.Decrement(ref _cutsLeft) >= 0;
            if (!cut && DownloadBytesPerSecond == 0)
            {
                await RelayAsync(context, response).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopHeaders.Contains(header.Key) || header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[header.Key] = new StringValues(header.Value.ToArray());
                }
            }

            using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            long sent = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (cut && sent + read > _cutAfter)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, (int)Math.Max(0, _cutAfter - sent)), context.RequestAborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    context.Abort();
                    return;
                }

                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
                sent += read;
                if (DownloadBytesPerSecond > 0)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    await Task.Delay(TimeSpan.FromSeconds((double)read / DownloadBytesPerSecond), context.RequestAborted).ConfigureAwait(false);
                }
            }
        }

        private static Task XmlAsync(HttpContext context, XElement root)
        {
            context.Response.ContentType = "application/xml";
            return context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + root.ToString(SaveOptions.DisableFormatting));
        }

        private static Task ErrorAsync(HttpContext context, int status, string code, string message)
        {
            context.Response.StatusCode = status;
            return XmlAsync(context, new XElement("Error", new XElement("Code", code), new XElement("Message", message)));
        }

        private static (string Bucket, string Key) SplitPath(string path)
        {
            var trimmed = path.TrimStart('/');
            var slash = trimmed.IndexOf('/');
            return slash < 0 ? (trimmed, string.Empty) : (trimmed.Substring(0, slash), trimmed.Substring(slash + 1));
        }

        private static string EscapePath(string path) => string.Join("/", path.Split('/').Select(Uri.EscapeDataString));

        private sealed class Upload
        {
            public Upload(string bucket, string key, string uploadId)
            {
                Bucket = bucket;
                Key = key;
                UploadId = uploadId;
            }

            public string Bucket { get; }

            public string Key { get; }

            public string UploadId { get; }

            public DateTime Initiated { get; } = DateTime.UtcNow;

            public ConcurrentDictionary<int, (string ETag, long Size, DateTime When)> Parts { get; } = new ConcurrentDictionary<int, (string, long, DateTime)>();
        }

        /// <summary>S3 lists keys in the byte order of their UTF-8 encoding.</summary>
        private sealed class Utf8Order : IComparer<string>
        {
            public static readonly Utf8Order Instance = new Utf8Order();

            public int Compare(string? x, string? y) =>
                Encoding.UTF8.GetBytes(x ?? string.Empty).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? string.Empty));
        }
    }
}
