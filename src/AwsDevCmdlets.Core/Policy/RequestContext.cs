using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsDevCmdlets.Core.Policy
{
    /// <summary>
    /// The request being authorized: who asks, for what, and the condition keys in its context. Key
    /// names are case-insensitive; a key holds one value, or several (multivalued), or none (present
    /// but empty, which differs from absent).
    /// </summary>
    public sealed class RequestContext
    {
        private readonly Dictionary<string, ContextValue> _keys = new Dictionary<string, ContextValue>(StringComparer.OrdinalIgnoreCase);

        public RequestContext(string? principalArn, string? resourceAccount, IEnumerable<KeyValuePair<string, ContextValue>>? keys)
        {
            PrincipalArn = principalArn;
            Principal = principalArn is null ? null : PrincipalName.Parse(principalArn);
            ResourceAccount = resourceAccount;
            if (keys != null)
            {
                foreach (var pair in keys)
                {
                    _keys[pair.Key] = pair.Value;
                }
            }

            // Derived from the principal unless the caller set them.
            if (Principal != null)
            {
                Derive("aws:PrincipalArn", Principal.PrincipalArn);
                Derive("aws:PrincipalAccount", Principal.Account);
                if (Principal.Kind == PrincipalKind.User)
                {
                    Derive("aws:username", Principal.Name);
                }
            }
        }

        public string? PrincipalArn { get; }

        public PrincipalName? Principal { get; }

        public string? ResourceAccount { get; }

        public bool TryGet(string key, out ContextValue value) => _keys.TryGetValue(key, out value!);

        /// <summary>A single value for a policy variable; null when absent or multivalued.</summary>
        public string? SingleValue(string key) =>
            _keys.TryGetValue(key, out var value) && !value.IsMultivalued && value.Values.Length == 1 ? value.Values[0] : null;

        public IEnumerable<string> Keys => _keys.Keys;

        private void Derive(string key, string? value)
        {
            if (value != null && !_keys.ContainsKey(key))
            {
                _keys[key] = new ContextValue(new[] { value }, false);
            }
        }
    }

    public sealed class ContextValue
    {
        public ContextValue(string[] values, bool isMultivalued)
        {
            Values = values;
            IsMultivalued = isMultivalued;
        }

        public string[] Values { get; }

        public bool IsMultivalued { get; }

        public static ContextValue Single(string value) => new ContextValue(new[] { value }, false);

        public static ContextValue Multi(IEnumerable<string> values) => new ContextValue(values.ToArray(), true);
    }

    public enum PrincipalKind
    {
        Anyone,
        Account,
        User,
        Role,
        Session,
        Service,
        Federated,
        Other,
    }

    /// <summary>An IAM principal as written in a Principal element or given as -PrincipalArn.</summary>
    public sealed class PrincipalName
    {
        public PrincipalKind Kind { get; private set; }

        public string Text { get; private set; } = string.Empty;

        public string? Account { get; private set; }

        /// <summary>The role's or user's name (the last path segment), or the session's role name.</summary>
        public string? Name { get; private set; }

        /// <summary>aws:PrincipalArn: for a role session, the role's ARN.</summary>
        public string? PrincipalArn { get; private set; }

        public static PrincipalName Parse(string text, string type = "AWS")
        {
            var principal = new PrincipalName { Text = text, Kind = PrincipalKind.Other, PrincipalArn = text };
            if (text == "*")
            {
                principal.Kind = PrincipalKind.Anyone;
                return principal;
            }

            if (!string.Equals(type, "AWS", StringComparison.OrdinalIgnoreCase))
            {
                principal.Kind = string.Equals(type, "Service", StringComparison.OrdinalIgnoreCase) ? PrincipalKind.Service : PrincipalKind.Federated;
                return principal;
            }

            if (text.Length == 12 && text.All(char.IsDigit))
            {
                principal.Kind = PrincipalKind.Account;
                principal.Account = text;
                principal.PrincipalArn = $"arn:aws:iam::{text}:root";
                return principal;
            }

            var parts = text.Split(new[] { ':' }, 6);
            if (parts.Length == 6 && parts[0] == "arn")
            {
                principal.Account = parts[4];
                var resource = parts[5];
                if (parts[2] == "iam" && resource == "root")
                {
                    principal.Kind = PrincipalKind.Account;
                }
                else if (parts[2] == "iam" && resource.StartsWith("user/", StringComparison.Ordinal))
                {
                    principal.Kind = PrincipalKind.User;
                    principal.Name = resource.Substring(resource.LastIndexOf('/') + 1);
                }
                else if (parts[2] == "iam" && resource.StartsWith("role/", StringComparison.Ordinal))
                {
                    principal.Kind = PrincipalKind.Role;
                    principal.Name = resource.Substring(resource.LastIndexOf('/') + 1);
                }
                else if (parts[2] == "sts" && resource.StartsWith("assumed-role/", StringComparison.Ordinal))
                {
                    principal.Kind = PrincipalKind.Session;
                    var segments = resource.Split('/');
                    principal.Name = segments.Length > 1 ? segments[1] : null;
                    principal.PrincipalArn = $"arn:{parts[1]}:iam::{parts[4]}:role/{principal.Name}";
                }
            }

            return principal;
        }

        /// <summary>Whether a principal named in a policy covers the caller, and how specifically.</summary>
        public bool Covers(PrincipalName? caller)
        {
            if (Kind == PrincipalKind.Anyone)
            {
                return true;
            }

            if (caller is null)
            {
                return false;
            }

            switch (Kind)
            {
                case PrincipalKind.Account:
                    return caller.Account == Account;
                case PrincipalKind.Role:
                    // A grant to a role covers its sessions.
                    return (caller.Kind == PrincipalKind.Role && caller.Text == Text) ||
                        (caller.Kind == PrincipalKind.Session && caller.Account == Account && caller.Name == Name);
                default:
                    return string.Equals(caller.Text, Text, StringComparison.Ordinal);
            }
        }

        public override string ToString() => Text;
    }
}
