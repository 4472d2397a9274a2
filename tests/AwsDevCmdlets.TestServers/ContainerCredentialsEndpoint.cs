using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsDevCmdlets.TestServers
{
    /// <summary>The ECS/EKS container credentials endpoint: GET returns the task role's credentials as JSON.</summary>
    public sealed class ContainerCredentialsEndpoint : LoopbackServer
    {
        public const string AccessKeyId = "ASIACONTAINERCREDS01";

        public string? LastAuthorization { get; private set; }

        protected override Task HandleAsync(HttpContext context)
        {
            LastAuthorization = context.Request.Headers.Authorization.ToString();
            context.Response.ContentType = "application/json";
            var expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            return context.Response.WriteAsync(
                "{\"AccessKeyId\":\"" + AccessKeyId + "\",\"SecretAccessKey\":\"containerSecretDoNotShow\"," +
                "\"Token\":\"containerTokenDoNotShow\",\"Expiration\":\"" + expiration + "\"," +
                "\"RoleArn\":\"arn:aws:iam::123456789012:role/task-role\"}");
        }
    }
}
