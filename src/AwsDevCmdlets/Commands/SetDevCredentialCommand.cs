using System;
using System.Management.Automation;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets.Commands
{
    /// <summary>
    /// Sets this runspace's default credentials, region and endpoint, used by every cmdlet of the module
    /// that is not given its own. New credentials replace the old ones whole; -Region and -EndpointUrl
    /// change only when given.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "DevCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = SettingsOnlySet)]
    [OutputType(typeof(void))]
    public sealed class SetDevCredentialCommand : DevCmdletBase
    {
        private const string ProfileSet = "Profile";
        private const string KeysSet = "Keys";
        private const string CredentialSet = "Credential";
        private const string SettingsOnlySet = "SettingsOnly";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string ProfileName { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = KeysSet)]
        [ValidateNotNullOrEmpty]
        [Alias("AccessKeyId")]
        public string AccessKey { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = KeysSet)]
        [ValidateNotNullOrEmpty]
        [Alias("SecretAccessKey")]
        public string SecretKey { get; set; } = string.Empty;

        [Parameter(ParameterSetName = KeysSet)]
        [Parameter(ParameterSetName = CredentialSet)]
        [ValidateNotNullOrEmpty]
        public string? SessionToken { get; set; }

        /// <summary>Access key id as the user name, secret access key as the password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; } = PSCredential.Empty;

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointUrl { get; set; }

        protected override void ProcessRecord()
        {
            var update = new CredentialSettings { Region = Region, EndpointUrl = EndpointUrl };
            switch (ParameterSetName)
            {
                case ProfileSet:
                    update.ProfileName = ProfileName;
                    break;
                case KeysSet:
                    update.AccessKeyId = AccessKey;
                    update.SecretAccessKey = SecretKey;
                    update.SessionToken = SessionToken;
                    break;
                case CredentialSet:
                    update.AccessKeyId = Credential.UserName;
                    update.SecretAccessKey = Credential.GetNetworkCredential().Password;
                    update.SessionToken = SessionToken;
                    break;
            }

            try
            {
                if (update.IsEmpty)
                {
                    throw new AwsDevException(ErrorIds.InvalidCredentialParameters, ErrorKind.InvalidArgument,
                        "Nothing to set: give -ProfileName, -AccessKey and -SecretKey, -Credential, -Region or -EndpointUrl.", null);
                }

                update.Validate("Set-DevCredential");
                if (update.ProfileName != null)
                {
                    // Refuse a profile that does not exist now, rather than on every later call.
                    AwsContextResolver.EnsureProfileExists(update.ProfileName);
                }
            }
            catch (AwsDevException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, null));
            }

            var runspace = CurrentRunspace ?? throw new InvalidOperationException("Set-DevCredential needs a runspace.");
            if (!ShouldProcess("the session defaults of this runspace", $"Set {Describe(update)}"))
            {
                return;
            }

            var merged = (SessionDefaults.Get(runspace) ?? new CredentialSettings()).With(update);
            SessionDefaults.Set(runspace, merged);
            WriteVerbose($"Session defaults are now: {Describe(merged)}.");
        }

        private static string Describe(CredentialSettings settings)
        {
            var parts = new System.Collections.Generic.List<string>();
            if (settings.ProfileName != null || settings.HasKeys)
            {
                parts.Add(settings.ToString());
            }

            if (settings.Region != null)
            {
                parts.Add($"region {settings.Region}");
            }

            if (settings.EndpointUrl != null)
            {
                parts.Add($"endpoint {settings.EndpointUrl}");
            }

            return string.Join(", ", parts);
        }
    }
}
