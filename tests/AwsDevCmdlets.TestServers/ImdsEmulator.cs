using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>
    /// An EC2 instance metadata service on 127.0.0.1, faithful where clients can tell: IMDSv2 tokens
    /// (PUT with a TTL of 1-21600 s, refused when X-Forwarded-For is present), 401 for a missing,
    /// unknown or expired token, directory listings, 404 for absent paths, and knobs for the failures
    /// a client must survive (a token PUT that never answers, IMDSv1 allowed or not).
    /// </summary>
    public sealed class ImdsEmulator : LoopbackServer
    {
        public const string RoleName = "dev-instance-role";
        public const string InstanceId = "i-0123456789abcdef0";
        public const string Region = "eu-west-1";
        public const string Mac = "0e:49:61:0f:c3:11";

        private readonly ConcurrentDictionary<string, DateTime> _tokens = new ConcurrentDictionary<string, DateTime>();
        private readonly ConcurrentDictionary<string, Func<string>> _paths = new ConcurrentDictionary<string, Func<string>>(StringComparer.Ordinal);
        private int _tokenRequests;
        private int _credentialRequests;
        private int _credentialSerial = 1;

        public ImdsEmulator()
        {
            var identity = "{\n  \"accountId\" : \"123456789012\",\n  \"architecture\" : \"x86_64\",\n  \"availabilityZone\" : \"eu-west-1b\",\n" +
                "  \"imageId\" : \"ami-0abcdef1234567890\",\n  \"instanceId\" : \"" + InstanceId + "\",\n  \"instanceType\" : \"t3.micro\",\n" +
                "  \"pendingTime\" : \"2026-11-01T08:00:00Z\",\n  \"privateIp\" : \"10.0.1.23\",\n  \"region\" : \"" + Region + "\",\n  \"version\" : \"2017-09-30\"\n}";
            Set("meta-data/ami-id", "ami-0abcdef1234567890");
            Set("meta-data/instance-id", InstanceId);
            Set("meta-data/instance-type", "t3.micro");
            Set("meta-data/hostname", "ip-10-0-1-23.eu-west-1.compute.internal");
            Set("meta-data/local-hostname", "ip-10-0-1-23.eu-west-1.compute.internal");
            Set("meta-data/local-ipv4", "10.0.1.23");
            Set("meta-data/public-hostname", "ec2-203-0-113-25.eu-west-1.compute.amazonaws.com");
            Set("meta-data/public-ipv4", "203.0.113.25");
            Set("meta-data/mac", Mac);
            Set("meta-data/security-groups", "default\nweb-servers");
            Set("meta-data/placement/region", Region);
            Set("meta-data/placement/availability-zone", "eu-west-1b");
            Set("meta-data/placement/availability-zone-id", "euw1-az2");
            Set($"meta-data/network/interfaces/macs/{Mac}/device-number", "0");
            Set($"meta-data/network/interfaces/macs/{Mac}/local-ipv4s", "10.0.1.23");
            Set($"meta-data/network/interfaces/macs/{Mac}/subnet-id", "subnet-0123456789abcdef0");
            Set($"meta-data/network/interfaces/macs/{Mac}/vpc-id", "vpc-0123456789abcdef0");
            Set("meta-data/iam/info", "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2026-11-24T05:00:00Z\",\n" +
                "  \"InstanceProfileArn\" : \"arn:aws:iam::123456789012:instance-profile/dev-instance-profile\",\n  \"InstanceProfileId\" : \"AIPAEXAMPLEPROFILEID1\"\n}");
            _paths["meta-data/iam/security-credentials/" + RoleName] = RoleCredentials;
            Set("user-data", "#!/bin/bash\necho hello from user data\n");
            Set("dynamic/instance-identity/document", identity);
            Set("dynamic/instance-identity/signature", "c2lnbmF0dXJlLW5vdC1yZWFs");
        }

        /// <summary>When false, GETs without a token are served (IMDSv1, HttpTokens=optional).</summary>
        public bool RequireToken { get; set; } = true;

        /// <summary>When set, the token PUT answers this status instead of a token (a service or proxy refusing IMDSv2).</summary>
        public int? TokenStatusOverride { get; set; }

        /// <summary>Exposes instance tags (InstanceMetadataTags=enabled), as meta-data/tags/instance/KEY.</summary>
        public void EnableTags(params (string Key, string Value)[] tags)
        {
            foreach (var (key, value) in tags)
            {
                Set("meta-data/tags/instance/" + key, value);
            }
        }

        /// <summary>When true, the token PUT is never answered: the hop limit as seen from a container.</summary>
        public bool HangTokenRequests { get; set; }

        public int TokenRequests => _tokenRequests;

        public int CredentialRequests => _credentialRequests;

        public void Set(string path, string value) => _paths[path] = () => value;

        public void Remove(string path) => _paths.TryRemove(path, out _);

        /// <summary>Every token issued so far stops working, as after their TTL.</summary>
        public void ExpireAllTokens() => _tokens.Clear();

        /// <summary>The access key id the role's credentials carry now (the same on every request until rotated).</summary>
        public string CurrentAccessKeyId => "ASIAIMDSEMULATOR" + Volatile.Read(ref _credentialSerial).ToString("D4", CultureInfo.InvariantCulture);

        /// <summary>Issues a new key pair on the next request, as the service does well before expiry.</summary>
        public void RotateCredentials() => Interlocked.Increment(ref _credentialSerial);

        private string RoleCredentials()
        {
            Interlocked.Increment(ref _credentialRequests);
            var serial = Volatile.Read(ref _credentialSerial);
            var expiration = DateTime.UtcNow.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            return "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"" + DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "\",\n" +
                "  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"" + CurrentAccessKeyId + "\",\n" +
                "  \"SecretAccessKey\" : \"imdsEmulatorSecretKeyDoNotShow" + serial + "\",\n  \"Token\" : \"imdsEmulatorSessionTokenDoNotShow" + serial + "\",\n" +
                "  \"Expiration\" : \"" + expiration + "\"\n}";
        }

        protected override async Task HandleAsync(HttpContext context)
        {
            var request = context.Request;
            var path = request.Path.Value ?? "/";
            if (path == "/latest/api/token")
            {
                await IssueTokenAsync(context).ConfigureAwait(false);
                return;
            }

            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }

            var token = request.Headers["X-aws-ec2-metadata-token"].ToString();
            if (token.Length > 0)
            {
                if (!_tokens.TryGetValue(token, out var expires) || expires < DateTime.UtcNow)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
            }
            else if (RequireToken)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (!path.StartsWith("/latest/", StringComparison.Ordinal))
            {
                await NotFoundAsync(context).ConfigureAwait(false);
                return;
            }

            var relative = path.Substring("/latest/".Length);
            if (_paths.TryGetValue(relative.TrimEnd('/'), out var leaf))
            {
                await WriteTextAsync(context, leaf()).ConfigureAwait(false);
                return;
            }

            var listing = Listing(relative.TrimEnd('/'));
            if (listing.Count == 0)
            {
                await NotFoundAsync(context).ConfigureAwait(false);
                return;
            }

            await WriteTextAsync(context, string.Join("\n", listing)).ConfigureAwait(false);
        }

        private async Task IssueTokenAsync(HttpContext context)
        {
            var request = context.Request;
            if (!HttpMethods.IsPut(request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }

            Interlocked.Increment(ref _tokenRequests);
            if (HangTokenRequests)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                return;
            }

            if (TokenStatusOverride is int status)
            {
                context.Response.StatusCode = status;
                return;
            }

            if (request.Headers.ContainsKey("X-Forwarded-For"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            var ttlText = request.Headers["X-aws-ec2-metadata-token-ttl-seconds"].ToString();
            if (!int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl < 1 || ttl > 21600)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            _tokens[token] = DateTime.UtcNow.AddSeconds(ttl);
            context.Response.Headers["X-aws-ec2-metadata-token-ttl-seconds"] = ttl.ToString(CultureInfo.InvariantCulture);
            await WriteTextAsync(context, token).ConfigureAwait(false);
        }

        private List<string> Listing(string directory)
        {
            var prefix = directory.Length == 0 ? string.Empty : directory + "/";
            return _paths.Keys
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                .Select(k => k.Substring(prefix.Length))
                .Select(rest => rest.Contains('/') ? rest.Substring(0, rest.IndexOf('/') + 1) : rest)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
        }

        private static Task WriteTextAsync(HttpContext context, string text)
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(text);
        }

        private static Task NotFoundAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>\n");
        }
    }
}
