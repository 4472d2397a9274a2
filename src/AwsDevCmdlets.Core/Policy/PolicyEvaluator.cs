using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsDevCmdlets.Core.Policy
{
    /// <summary>The policies in force for one principal, by type.</summary>
    public sealed class PolicySet
    {
        public IReadOnlyList<PolicyDocument> Identity { get; set; } = Array.Empty<PolicyDocument>();

        public PolicyDocument? Resource { get; set; }

        public PolicyDocument? PermissionBoundary { get; set; }

        /// <summary>The SCPs that apply to the principal's account, treated as one level.</summary>
        public IReadOnlyList<PolicyDocument>? ServiceControl { get; set; }

        public PolicyDocument? Session { get; set; }
    }

    /// <summary>
    /// AWS's documented evaluation logic, offline: an explicit Deny anywhere wins; otherwise an Allow is
    /// needed, from an identity policy (within the permissions boundary, session policy and SCPs) or, in
    /// the same account, from a resource policy that names the caller; across accounts both the
    /// identity policy and the resource policy must allow.
    /// </summary>
    public static class PolicyEvaluator
    {
        public static PolicyDecision Evaluate(PolicySet policies, string action, string resource, RequestContext context)
        {
            var matches = new List<PolicyStatementMatch>();
            var missing = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);

            var identity = Level(policies.Identity, PolicyType.Identity, action, resource, context, matches, missing, resourcePolicy: false);
            var resourceLevel = policies.Resource is null ? Outcome.None
                : Level(new[] { policies.Resource }, PolicyType.Resource, action, resource, context, matches, missing, resourcePolicy: true);
            var boundary = policies.PermissionBoundary is null ? Outcome.None
                : Level(new[] { policies.PermissionBoundary }, PolicyType.PermissionBoundary, action, resource, context, matches, missing, resourcePolicy: false);
            var scp = policies.ServiceControl is null || policies.ServiceControl.Count == 0 ? Outcome.None
                : Level(policies.ServiceControl, PolicyType.ServiceControlPolicy, action, resource, context, matches, missing, resourcePolicy: false);
            var session = policies.Session is null ? Outcome.None
                : Level(new[] { policies.Session }, PolicyType.Session, action, resource, context, matches, missing, resourcePolicy: false);

            PolicyDecision Decide(PolicyDecisionType decision, string reason) => new PolicyDecision
            {
                Action = action,
                Resource = resource,
                Decision = decision,
                MatchedStatements = matches,
                MissingContextKeys = missing.ToList(),
                Reason = reason,
            };

            var deny = matches.FirstOrDefault(m => m.Effect == "Deny");
            if (deny != null)
            {
                return Decide(PolicyDecisionType.ExplicitDeny, $"Explicitly denied by {deny}.");
            }

            // Guardrails that only limit: absent ones do not limit.
            var scpAllows = policies.ServiceControl is null || policies.ServiceControl.Count == 0 || scp.Allowed;
            var boundaryAllows = policies.PermissionBoundary is null || boundary.Allowed;
            var sessionAllows = policies.Session is null || session.Allowed;
            if (!scpAllows)
            {
                return Decide(PolicyDecisionType.ImplicitDeny, "Implicitly denied: no service control policy allows it.");
            }

            var caller = context.Principal;
            var resourceAccount = context.ResourceAccount ?? AccountOf(resource);
            var sameAccount = caller?.Account is null || resourceAccount is null || resourceAccount.Length == 0 || caller.Account == resourceAccount;

            if (!sameAccount)
            {
                if (!identity.Allowed)
                {
                    return Decide(PolicyDecisionType.ImplicitDeny, "Implicitly denied: across accounts the identity policy must allow it, and none does.");
                }

                if (!resourceLevel.Allowed)
                {
                    return Decide(PolicyDecisionType.ImplicitDeny, "Implicitly denied: across accounts the resource policy must allow it, and it does not.");
                }

                return Guarded(boundaryAllows, sessionAllows, "Allowed by the identity policy and the resource policy of the other account.");
            }

            // Same account: a resource policy that names the caller (not just the account) grants on its own,
            // and grants to an IAM user or a session are not limited by the boundary (or, for the session,
            // by the session policy).
            if (resourceLevel.Allowed && resourceLevel.Grantee != null && resourceLevel.Grantee.Kind != PrincipalKind.Account)
            {
                var grantee = resourceLevel.Grantee.Kind;
                var boundaryApplies = grantee != PrincipalKind.User && grantee != PrincipalKind.Session;
                var sessionApplies = grantee != PrincipalKind.Session;
                if ((!boundaryApplies || boundaryAllows) && (!sessionApplies || sessionAllows))
                {
                    return Decide(PolicyDecisionType.Allowed, $"Allowed by the resource policy, which names {resourceLevel.Grantee}.");
                }
            }

            if (!identity.Allowed)
            {
                var why = resourceLevel.Allowed && resourceLevel.Grantee?.Kind == PrincipalKind.Account
                    ? "the resource policy names only the account, which leaves the decision to IAM, and no identity policy allows it"
                    : resourceLevel.Allowed ? "the resource policy's grant is limited by the permissions boundary or session policy, and no identity policy allows it"
                    : "no identity or resource policy allows it";
                return Decide(PolicyDecisionType.ImplicitDeny, $"Implicitly denied: {why}.");
            }

            return Guarded(boundaryAllows, sessionAllows, "Allowed by the identity policy.");

            PolicyDecision Guarded(bool boundaryOk, bool sessionOk, string reason)
            {
                if (!boundaryOk)
                {
                    return Decide(PolicyDecisionType.ImplicitDeny, "Implicitly denied: the permissions boundary does not allow it.");
                }

                if (!sessionOk)
                {
                    return Decide(PolicyDecisionType.ImplicitDeny, "Implicitly denied: the session policy does not allow it.");
                }

                return Decide(PolicyDecisionType.Allowed, reason);
            }
        }

        private static Outcome Level(IEnumerable<PolicyDocument> documents, PolicyType type, string action, string resource, RequestContext context,
            List<PolicyStatementMatch> matches, SortedSet<string> missing, bool resourcePolicy)
        {
            var outcome = new Outcome();
            foreach (var document in documents)
            {
                foreach (var statement in document.Statements)
                {
                    if (!statement.AppliesToAction(action) || !statement.AppliesToResource(resource, context))
                    {
                        continue;
                    }

                    PrincipalName? grantee = null;
                    if (resourcePolicy)
                    {
                        grantee = statement.CoveringPrincipal(context.Principal);
                        if (grantee is null)
                        {
                            continue;
                        }
                    }

                    var holds = true;
                    foreach (var clause in statement.Conditions)
                    {
                        if (!clause.Evaluate(context, out var keyMissing))
                        {
                            holds = false;
                        }

                        if (keyMissing)
                        {
                            missing.Add(clause.Key);
                        }
                    }

                    if (!holds)
                    {
                        continue;
                    }

                    matches.Add(new PolicyStatementMatch { PolicyType = type, PolicyName = document.Name, Statement = statement.Label, Effect = statement.IsAllow ? "Allow" : "Deny" });
                    if (statement.IsAllow)
                    {
                        outcome.Allowed = true;
                        // The most specific grantee decides what the grant is limited by.
                        if (grantee != null && (outcome.Grantee is null || Specificity(grantee.Kind) > Specificity(outcome.Grantee.Kind)))
                        {
                            outcome.Grantee = grantee;
                        }
                    }
                }
            }

            return outcome;
        }

        private static int Specificity(PrincipalKind kind)
        {
            switch (kind)
            {
                case PrincipalKind.Session: return 4;
                case PrincipalKind.User: return 3;
                case PrincipalKind.Role: return 2;
                case PrincipalKind.Anyone: return 1;
                default: return 0;
            }
        }

        private static string? AccountOf(string resource)
        {
            var parts = resource.Split(new[] { ':' }, 6);
            return parts.Length == 6 && parts[0] == "arn" && parts[4].Length > 0 ? parts[4] : null;
        }

        private sealed class Outcome
        {
            public static Outcome None => new Outcome();

            public bool Allowed { get; set; }

            public PrincipalName? Grantee { get; set; }
        }
    }
}
