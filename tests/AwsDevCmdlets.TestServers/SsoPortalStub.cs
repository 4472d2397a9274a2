using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>The IAM Identity Center (SSO) portal's GetRoleCredentials, for a cached access token.</summary>
    public sealed class SsoPortalStub : LoopbackServer
    {
        public const string AccessKeyId = "ASIASSOPORTALSTUB001";

        public string? LastBearerToken { get; private set; }

        public string? LastAccountAndRole { get; private set; }

        protected override Task HandleAsync(HttpContext context)
        {
            if (context.Request.Path != "/federation/credentials")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            LastBearerToken = context.Request.Headers["x-amz-sso_bearer_token"].ToString();
            LastAccountAndRole = $"{context.Request.Query["account_id"]}/{context.Request.Query["role_name"]}";
            context.Response.ContentType = "application/json";
            var expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
            return context.Response.WriteAsync(
                "{\"roleCredentials\":{\"accessKeyId\":\"" + AccessKeyId + "\",\"secretAccessKey\":\"ssoSecretDoNotShow\"," +
                "\"sessionToken\":\"ssoTokenDoNotShow\",\"expiration\":" + expiration + "}}");
        }
    }
}
