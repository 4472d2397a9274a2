using System;
using System.Collections.Generic;

namespace AwsDevCmdlets
{
    /// <summary>The outcome of IAM policy evaluation for one action on one resource.</summary>
    public enum PolicyDecisionType
    {
        Allowed,
        ExplicitDeny,
        ImplicitDeny,
    }

    public enum PolicyType
    {
        Identity,
        Resource,
        PermissionBoundary,
        ServiceControlPolicy,
        Session,
    }

    /// <summary>A statement that applied to the request: its policy, its Sid (or position), its effect.</summary>
    public sealed class PolicyStatementMatch
    {
        public PolicyType PolicyType { get; set; }

        public string PolicyName { get; set; } = string.Empty;

        /// <summary>The statement's Sid, or its position ("#2") when it has none.</summary>
        public string Statement { get; set; } = string.Empty;

        public string Effect { get; set; } = string.Empty;

        public override string ToString() => $"{PolicyType} '{PolicyName}' {Statement} ({Effect})";
    }

    /// <summary>What Test-DevPolicy writes for each action and resource.</summary>
    public sealed class PolicyDecision
    {
        public string Action { get; set; } = string.Empty;

        public string Resource { get; set; } = string.Empty;

        public PolicyDecisionType Decision { get; set; }

        public bool IsAllowed => Decision == PolicyDecisionType.Allowed;

        public IReadOnlyList<PolicyStatementMatch> MatchedStatements { get; set; } = Array.Empty<PolicyStatementMatch>();

        /// <summary>Condition keys that statements for this action and resource test but the context lacks.</summary>
        public IReadOnlyList<string> MissingContextKeys { get; set; } = Array.Empty<string>();

        /// <summary>Why, in one sentence.</summary>
        public string Reason { get; set; } = string.Empty;

        public override string ToString() => $"{Decision}: {Action} on {Resource}";
    }

    /// <summary>A policy document read from a file by Read-DevPolicy, named after the file.</summary>
    public sealed class DevPolicy
    {
        public string Name { get; set; } = string.Empty;

        public string? Path { get; set; }

        public string Json { get; set; } = string.Empty;

        public override string ToString() => Name;
    }
}
