using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>
    /// A real local S3 endpoint: s3rver (npm, installed under tests/s3rver by ./build.sh) on 127.0.0.1,
    /// behind <see cref="S3CompatProxy"/>. Clients use <see cref="Url"/> with path-style addressing,
    /// access key <see cref="AccessKey"/> and any secret. Stops s3rver and deletes its data on dispose.
    /// </summary>
    public sealed class LocalS3 : IDisposable
    {
        public const string AccessKey = "S3RVER";
        public const string SecretKey = "S3RVER";

        private readonly Process _node;
        private readonly S3CompatProxy _proxy;

        private LocalS3(Process node, S3CompatProxy proxy, string dataFolder)
        {
            _node = node;
            _proxy = proxy;
            DataFolder = dataFolder;
        }

        public Uri Url => _proxy.Url;

        public S3CompatProxy Proxy => _proxy;

        public string DataFolder { get; }

        private static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 32 });

        /// <summary>Creates a bucket directly, without the module (for arranging a test).</summary>
        public Task CreateBucketAsync(string bucket) => SendAsync(HttpMethod.Put, bucket, null, null);

        /// <summary>Stores an object directly, without the module (for arranging a test).</summary>
        public Task PutAsync(string bucket, string key, byte[] content) => SendAsync(HttpMethod.Put, bucket, key, content);

        /// <summary>Stores many small objects, sixteen requests at a time.</summary>
        public async Task PutManyAsync(string bucket, IEnumerable<string> keys, Func<string, byte[]> content)
        {
            using var slots = new SemaphoreSlim(16);
            await Task.WhenAll(keys.Select(async key =>
            {
                await slots.WaitAsync().ConfigureAwait(false);
                try
                {
                    await PutAsync(bucket, key, content(key)).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);
        }

        /// <summary>An object's bytes as s3rver stores them, or null when it has none.</summary>
        public async Task<byte[]?> GetAsync(string bucket, string key)
        {
            using var response = await Http.SendAsync(Signed(HttpMethod.Get, bucket, key, null)).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        }

        private async Task SendAsync(HttpMethod method, string bucket, string? key, byte[]? content)
        {
            using var response = await Http.SendAsync(Signed(method, bucket, key, content)).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        // s3rver runs with --allow-mismatched-signatures: a well-formed SigV4 header is enough.
        private HttpRequestMessage Signed(HttpMethod method, string bucket, string? key, byte[]? content)
        {
            var path = "/" + Uri.EscapeDataString(bucket) + (key is null ? string.Empty : "/" + string.Join("/", key.Split('/').Select(Uri.EscapeDataString)));
            var request = new HttpRequestMessage(method, new Uri(Url, path));
            var now = DateTime.UtcNow;
            request.Headers.TryAddWithoutValidation("x-amz-date", now.ToString("yyyyMMddTHHmmssZ", System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={AccessKey}/{now:yyyyMMdd}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={new string('0', 64)}");
            if (content != null)
            {
                request.Content = new ByteArrayContent(content);
            }

            return request;
        }

        public static LocalS3 Start()
        {
            var script = FindS3rver();
            var data = Path.Combine(Path.GetTempPath(), "awsdev-s3rver-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(data);
            var port = FreePort();
            var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            // Node 20 needs the legacy provider for s3rver's continuation-token cipher.
            foreach (var argument in new[] { "--openssl-legacy-provider", script, "-d", data, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--silent", "--allow-mismatched-signatures", "--no-vhost-buckets" })
            {
                start.ArgumentList.Add(argument);
            }

            var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            node.OutputDataReceived += (_, _) => { };
            node.ErrorDataReceived += (_, _) => { };
            node.BeginOutputReadLine();
            node.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Listening(port))
            {
                if (node.HasExited || DateTime.UtcNow > deadline)
                {
                    node.Kill(entireProcessTree: true);
                    throw new InvalidOperationException($"s3rver did not start on 127.0.0.1:{port} (run ./build.sh test, which installs it under tests/s3rver).");
                }

                Thread.Sleep(50);
            }

            var proxy = (S3CompatProxy)new S3CompatProxy(new Uri($"http://127.0.0.1:{port}"), data).Start();
            return new LocalS3(node, proxy, data);
        }

        public void Dispose()
        {
            _proxy.Dispose();
            try
            {
                _node.Kill(entireProcessTree: true);
                _node.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _node.Dispose();
            try
            {
                Directory.Delete(DataFolder, recursive: true);
            }
            catch (IOException)
            {
                // Swept with the temp folder.
            }
        }

        private static string FindS3rver()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("s3rver is not installed: run 'npm ci --prefix tests/s3rver' (./build.sh test does).");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static bool Listening(int port)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
