using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets
{
    /// <summary>
    /// The base of every cmdlet that talks to AWS: the common -ProfileName, -Credential, -Region and
    /// -EndpointUrl parameters, and one call that resolves them with the session defaults and the
    /// default chain into a ready context.
    /// </summary>
    public abstract class AwsCmdletBase : DevCmdletBase
    {
        /// <summary>A profile from the shared credentials/config files; overrides the session and the default chain.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName { get; set; }

        /// <summary>Access key id as the user name, secret access key as the password.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region { get; set; }

        /// <summary>An S3-compatible or local endpoint (path-style addressing is used with it).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointUrl { get; set; }

        protected Task<AwsContext> ResolveContextAsync(CancellationToken cancellationToken)
        {
            var parameters = new CredentialSettings
            {
                ProfileName = ProfileName,
                AccessKeyId = Credential?.UserName,
                SecretAccessKey = Credential?.GetNetworkCredential().Password,
                Region = Region,
                EndpointUrl = EndpointUrl,
            };
            return new AwsContextResolver().ResolveAsync(parameters, SessionDefaults.Get(CurrentRunspace), cancellationToken);
        }
    }
}
