using System;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SecurityToken.Model;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets.Core
{
    public static class CallerIdentityService
    {
        public static async Task<DevCallerIdentity> GetAsync(AwsContext context, CancellationToken cancellationToken)
        {
            using var sts = AwsClientFactory.CreateSts(context);
            try
            {
                var response = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
                return new DevCallerIdentity
                {
                    Account = response.Account,
                    Arn = response.Arn,
                    UserId = response.UserId,
                    Source = context.Source,
                    ProfileName = context.ProfileName,
                    Region = context.Region,
                };
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                throw AwsErrors.Translate(e, $"STS GetCallerIdentity with credentials from {context.Source}", context.ProfileName);
            }
        }
    }
}
