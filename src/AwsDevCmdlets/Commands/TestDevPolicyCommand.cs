using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsDevCmdlets.Core.Policy;

namespace AwsDevCmdlets.Commands
{
    /// <summary>
    /// Decides, offline, whether IAM policies allow actions on resources, following AWS's documented
    /// evaluation logic, and says which statements decided it.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "DevPolicy")]
    [OutputType(typeof(PolicyDecision), typeof(bool))]
    public sealed class TestDevPolicyCommand : DevCmdletBase
    {
        private PolicySet? _policies;
        private RequestContext? _context;
        private bool _allAllowed = true;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Action { get; set; } = Array.Empty<string>();

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Resource { get; set; } = { "*" };

        /// <summary>Policy JSON, a hashtable of the same shape, or a policy from Read-DevPolicy.</summary>
        [Parameter]
        public object[] IdentityPolicy { get; set; } = Array.Empty<object>();

        [Parameter]
        public object? ResourcePolicy { get; set; }

        [Parameter]
        public object? PermissionBoundary { get; set; }

        [Parameter]
        public object[]? ServiceControlPolicy { get; set; }

        [Parameter]
        public object? SessionPolicy { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PrincipalArn { get; set; }

        [Parameter]
        [ValidatePattern(@"^\d{12}$")]
        public string? ResourceAccount { get; set; }

        /// <summary>Condition keys and their values: a string, or an array for a multivalued key.</summary>
        [Parameter]
        public IDictionary? Context { get; set; }

        /// <summary>Return one bool: true only if every action on every resource is allowed.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            try
            {
                _policies = new PolicySet
                {
                    Identity = IdentityPolicy.Select((p, i) => Parse(p, IdentityPolicy.Length == 1 ? "IdentityPolicy" : $"IdentityPolicy[{i}]")).ToList(),
                    Resource = ResourcePolicy is null ? null : Parse(ResourcePolicy, "ResourcePolicy"),
                    PermissionBoundary = PermissionBoundary is null ? null : Parse(PermissionBoundary, "PermissionBoundary"),
                    ServiceControl = ServiceControlPolicy?.Select((p, i) => Parse(p, ServiceControlPolicy.Length == 1 ? "ServiceControlPolicy" : $"ServiceControlPolicy[{i}]")).ToList(),
                    Session = SessionPolicy is null ? null : Parse(SessionPolicy, "SessionPolicy"),
                };
                var entries = Context is null
                    ? Enumerable.Empty<KeyValuePair<string, object?>>()
                    : Context.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(k.ToString()!, PowerShellValues.ToPlain(Context[k])));
                _context = new RequestContext(PrincipalArn, ResourceAccount, PolicyInput.Context(entries).ToList());
            }
            catch (AwsDevException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, null));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (var action in Action)
            {
                try
                {
                    PolicyInput.ValidateAction(action);
                }
                catch (AwsDevException e)
                {
                    ThrowTerminatingError(ErrorRecords.From(e, action));
                }

                foreach (var resource in Resource)
                {
                    var decision = PolicyEvaluator.Evaluate(_policies!, action, resource, _context!);
                    _allAllowed &= decision.IsAllowed;
                    if (!Quiet)
                    {
                        WriteObject(decision);
                    }
                }
            }
        }

        protected override void EndProcessing()
        {
            if (Quiet)
            {
                WriteObject(_allAllowed);
            }
        }

        private static PolicyDocument Parse(object input, string name)
        {
            if ((input is PSObject wrapped ? wrapped.BaseObject : input) is DevPolicy file)
            {
                return PolicyInput.Document(file.Json, file.Name);
            }

            var plain = PowerShellValues.ToPlain(input);
            switch (plain)
            {
                case null:
                    throw new AwsDevException(ErrorIds.InvalidPolicy, ErrorKind.InvalidArgument, $"Policy '{name}' is empty.", name);
                default:
                    return PolicyInput.Document(plain, name);
            }
        }
    }
}
