using System;
using System.Management.Automation;
using AwsDevCmdlets.Core.Imds;

namespace AwsDevCmdlets.Commands
{
    /// <summary>
    /// Asks the EC2 instance metadata service about the machine this runs on: a snapshot of the
    /// instance, one category, any path, the user data, the signed identity document, or the role's
    /// credentials (secrets masked). IMDSv2 always; off EC2 it fails within about a second.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Ec2SelfMetadata", DefaultParameterSetName = SnapshotSet)]
    [OutputType(typeof(Ec2InstanceSnapshot), ParameterSetName = new[] { SnapshotSet })]
    [OutputType(typeof(string), typeof(string[]), ParameterSetName = new[] { CategorySet, PathSet, UserDataSet })]
    [OutputType(typeof(Ec2IdentityDocument), ParameterSetName = new[] { IdentitySet })]
    [OutputType(typeof(Ec2RoleCredential), ParameterSetName = new[] { CredentialSet })]
    public sealed class GetEc2SelfMetadataCommand : DevCmdletBase
    {
        private const string SnapshotSet = "Snapshot";
        private const string CategorySet = "Category";
        private const string PathSet = "Path";
        private const string UserDataSet = "UserData";
        private const string IdentitySet = "IdentityDocument";
        private const string CredentialSet = "IamCredential";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = CategorySet)]
        public ImdsCategory Category { get; set; }

        /// <summary>A path below /latest/, such as 'meta-data/placement/'; a trailing '/' lists a directory.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = UserDataSet)]
        public SwitchParameter UserData { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IdentitySet)]
        public SwitchParameter IdentityDocument { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        public SwitchParameter IamCredential { get; set; }

        /// <summary>Show the role's secret access key and session token instead of masking them.</summary>
        [Parameter(ParameterSetName = CredentialSet)]
        public SwitchParameter IncludeSecret { get; set; }

        /// <summary>The service's address; overrides AWS_EC2_METADATA_SERVICE_ENDPOINT.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Endpoint { get; set; }

        /// <summary>Seconds to wait for each answer; overrides AWS_METADATA_SERVICE_TIMEOUT (default 1).</summary>
        [Parameter]
        [ValidateRange(0.05, 300)]
        public double TimeoutSec { get; set; }

        /// <summary>Fall back to IMDSv1 (no token) if the token request is refused.</summary>
        [Parameter]
        public SwitchParameter AllowImdsV1 { get; set; }

        protected override void ProcessRecord()
        {
            var timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : (double?)null;
            Run((output, cancellationToken) => ReadAsync(timeout, output, cancellationToken), terminating: true);
        }

        private async System.Threading.Tasks.Task ReadAsync(double? timeout, IOutputSink output, System.Threading.CancellationToken cancellationToken)
        {
            var options = InstanceMetadataService.Options(Endpoint, timeout, AllowImdsV1);
            var imds = new InstanceMetadataService(ImdsClient.For(options));
            output.WriteVerbose($"Instance metadata service: {options.Endpoint}, {options.Timeout.TotalSeconds:0.###} s per attempt, {options.Attempts} attempt(s).");
            switch (ParameterSetName)
            {
                case CategorySet:
                    var value = await imds.GetCategoryAsync(Category, cancellationToken).ConfigureAwait(false);
                    if (value is null)
                    {
                        output.WriteVerbose($"This instance has no {Category}.");
                    }
                    else if (value is string[] list)
                    {
                        // One string per item on the pipeline, as PowerShell writes a list.
                        foreach (var item in list)
                        {
                            output.WriteObject(item);
                        }
                    }
                    else
                    {
                        output.WriteObject(value);
                    }

                    break;
                case PathSet:
                    var text = await imds.GetPathAsync(Path, cancellationToken).ConfigureAwait(false)
                        ?? throw new AwsDevException(ErrorIds.ObjectNotFound, ErrorKind.ObjectNotFound, $"The metadata service has nothing at '{Path}'.", Path);
                    if (Path.EndsWith("/", StringComparison.Ordinal))
                    {
                        foreach (var entry in InstanceMetadataService.Lines(text))
                        {
                            output.WriteObject(entry);
                        }
                    }
                    else
                    {
                        output.WriteObject(text);
                    }

                    break;
                case UserDataSet:
                    var userData = await imds.GetUserDataAsync(cancellationToken).ConfigureAwait(false);
                    if (userData is null)
                    {
                        output.WriteVerbose("This instance was launched without user data.");
                    }
                    else
                    {
                        output.WriteObject(userData);
                    }

                    break;
                case IdentitySet:
                    output.WriteObject(await imds.GetIdentityDocumentAsync(cancellationToken).ConfigureAwait(false));
                    break;
                case CredentialSet:
                    output.WriteObject(await imds.GetRoleCredentialAsync(IncludeSecret, cancellationToken).ConfigureAwait(false));
                    if (!IncludeSecret)
                    {
                        output.WriteVerbose("The secret access key and token are masked; -IncludeSecret shows them. The role's policies cannot be read from the metadata service.");
                    }

                    break;
                default:
                    output.WriteObject(await imds.GetSnapshotAsync(cancellationToken).ConfigureAwait(false));
                    break;
            }
        }
    }
}
