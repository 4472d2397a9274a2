using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Net;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>
    /// An STS endpoint on 127.0.0.1 that answers AssumeRole and GetCallerIdentity in STS's query
    /// protocol. It knows callers by access key id (it checks that requests are SigV4-signed, not the
    /// signature itself), so a test can see exactly which credentials a client used.
    /// </summary>
    public sealed class StsStub : LoopbackServer
    {
        public const string Account = "123456789012";

        private readonly ConcurrentDictionary<string, string> _arnByAccessKey = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private int _issued;
        private int _assumeRoleCalls;

        public int AssumeRoleCalls => _assumeRoleCalls;

        public string? LastRoleArn { get; private set; }

        public string? LastRoleSessionName { get; private set; }

        public string? LastSigningRegion { get; private set; }

        public string LastWebIdentityToken { get; private set; } = string.Empty;

        /// <summary>Makes an access key id known, as the IAM user or role session whose ARN is given.</summary>
        public StsStub AddCaller(string accessKeyId, string arn)
        {
            _arnByAccessKey[accessKeyId] = arn;
            return this;
        }

        protected override async Task HandleAsync(HttpContext context)
        {
            var request = context.Request;
            string body;
            using (var reader = new StreamReader(request.Body))
            {
                body = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            var form = QueryHelpers.ParseQuery(body);
            var action = form.TryGetValue("Action", out var a) ? a.ToString() : string.Empty;
            if (action == "AssumeRoleWithWebIdentity")
            {
                // Unsigned by design: the web identity token is the proof.
                LastWebIdentityToken = form["WebIdentityToken"].ToString();
                if (LastWebIdentityToken.Length == 0)
                {
                    await ErrorAsync(context, 400, "ValidationError", "WebIdentityToken is required").ConfigureAwait(false);
                    return;
                }

                await AssumeRoleAsync(context, "AssumeRoleWithWebIdentity", form["RoleArn"].ToString(), form["RoleSessionName"].ToString()).ConfigureAwait(false);
                return;
            }

            var authorization = request.Headers.Authorization.ToString();
            var credential = Regex.Match(authorization, @"Credential=([^/]+)/\d{8}/([^/]+)/sts/aws4_request");
            if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal) || !credential.Success)
            {
                await ErrorAsync(context, 403, "MissingAuthenticationToken", "Request is missing Authentication Token").ConfigureAwait(false);
                return;
            }

            var accessKeyId = credential.Groups[1].Value;
            LastSigningRegion = credential.Groups[2].Value;
            if (!_arnByAccessKey.TryGetValue(accessKeyId, out var callerArn))
            {
                await ErrorAsync(context, 403, "InvalidClientTokenId", "The security token included in the request is invalid.").ConfigureAwait(false);
                return;
            }

            switch (action)
            {
                case "GetCallerIdentity":
                    await XmlAsync(context, "GetCallerIdentity",
                        $"<Arn>{Xml(callerArn)}</Arn><UserId>{Xml(UserIdOf(accessKeyId, callerArn))}</UserId><Account>{Account}</Account>").ConfigureAwait(false);
                    return;
                case "AssumeRole":
                    await AssumeRoleAsync(context, "AssumeRole", form["RoleArn"].ToString(), form["RoleSessionName"].ToString()).ConfigureAwait(false);
                    return;
                default:
                    await ErrorAsync(context, 400, "InvalidAction", $"Could not find operation {action} for version 2011-06-15").ConfigureAwait(false);
                    return;
            }
        }

        private Task AssumeRoleAsync(HttpContext context, string action, string roleArn, string sessionName)
        {
            Interlocked.Increment(ref _assumeRoleCalls);
            LastRoleArn = roleArn;
            LastRoleSessionName = sessionName;
            var match = Regex.Match(roleArn, @"^arn:aws:iam::(\d{12}):role/(?:.*/)?([^/]+)$");
            if (!match.Success)
            {
                return ErrorAsync(context, 400, "ValidationError", $"{roleArn} is invalid");
            }

            var serial = Interlocked.Increment(ref _issued);
            var accessKeyId = "ASIASTSSTUB" + serial.ToString("D9", CultureInfo.InvariantCulture);
            var assumedArn = $"arn:aws:sts::{match.Groups[1].Value}:assumed-role/{match.Groups[2].Value}/{sessionName}";
            _arnByAccessKey[accessKeyId] = assumedArn;
            var expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            return XmlAsync(context, action,
                "<Credentials>" +
                $"<AccessKeyId>{accessKeyId}</AccessKeyId><SecretAccessKey>stsStubSecretDoNotShow{serial}</SecretAccessKey>" +
                $"<SessionToken>stsStubSessionTokenDoNotShow{serial}</SessionToken><Expiration>{expiration}</Expiration>" +
                "</Credentials>" +
                $"<AssumedRoleUser><AssumedRoleId>AROASTSSTUB:{Xml(sessionName)}</AssumedRoleId><Arn>{Xml(assumedArn)}</Arn></AssumedRoleUser>");
        }

        private static string UserIdOf(string accessKeyId, string arn) =>
            arn.Contains(":assumed-role/", StringComparison.Ordinal) ? "AROASTSSTUB:" + arn.Substring(arn.LastIndexOf('/') + 1) : "AIDA" + accessKeyId.Substring(Math.Max(0, accessKeyId.Length - 12));

        private static Task XmlAsync(HttpContext context, string action, string result)
        {
            context.Response.ContentType = "text/xml";
            return context.Response.WriteAsync(
                $"<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>{result}</{action}Result>" +
                $"<ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>");
        }

        private static Task ErrorAsync(HttpContext context, int status, string code, string message)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml";
            return context.Response.WriteAsync(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">" +
                $"<Error><Type>Sender</Type><Code>{code}</Code><Message>{Xml(message)}</Message></Error>" +
                $"<RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>");
        }

        private static string Xml(string value) => SecurityElement.Escape(value) ?? string.Empty;
    }
}
