using System;
using System.Globalization;
using System.Linq;
using System.Net;

namespace AwsDevCmdlets.Core.Policy
{
    internal enum OperatorFamily
    {
        String,
        StringIgnoreCase,
        StringLike,
        Numeric,
        Date,
        Bool,
        Binary,
        IpAddress,
        Arn,
        Null,
    }

    internal enum Comparison
    {
        Equals,
        LessThan,
        LessThanEquals,
        GreaterThan,
        GreaterThanEquals,
    }

    internal enum SetQualifier
    {
        None,
        ForAnyValue,
        ForAllValues,
    }

    /// <summary>One key under one operator in a Condition block: the unit AWS evaluates.</summary>
    internal sealed class ConditionClause
    {
        private readonly PolicyPattern[] _values;

        private ConditionClause(string op, string key, OperatorFamily family, Comparison comparison, bool negated, bool ifExists, SetQualifier qualifier, PolicyPattern[] values)
        {
            Operator = op;
            Key = key;
            Family = family;
            Comparison = comparison;
            Negated = negated;
            IfExists = ifExists;
            Qualifier = qualifier;
            _values = values;
        }

        public string Operator { get; }

        public string Key { get; }

        public OperatorFamily Family { get; }

        public Comparison Comparison { get; }

        public bool Negated { get; }

        public bool IfExists { get; }

        public SetQualifier Qualifier { get; }

        public static ConditionClause Create(string op, string key, string[] values, bool variablesEnabled, string policyName)
        {
            var name = op;
            var qualifier = SetQualifier.None;
            if (name.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase))
            {
                qualifier = SetQualifier.ForAnyValue;
                name = name.Substring("ForAnyValue:".Length);
            }
            else if (name.StartsWith("ForAllValues:", StringComparison.OrdinalIgnoreCase))
            {
                qualifier = SetQualifier.ForAllValues;
                name = name.Substring("ForAllValues:".Length);
            }

            var ifExists = name.EndsWith("IfExists", StringComparison.Ordinal) && name != "Null";
            if (ifExists)
            {
                name = name.Substring(0, name.Length - "IfExists".Length);
            }

            if (!Operators.TryGetValue(name, out var shape) || (ifExists && shape.Family == OperatorFamily.Null))
            {
                throw new AwsDevException(ErrorIds.UnknownConditionOperator, ErrorKind.InvalidData,
                    $"Policy '{policyName}': '{op}' is not a condition operator.", op);
            }

            // Variables apply to string and ARN values; wildcards to the *Like forms and ARN matching.
            var variables = variablesEnabled && (shape.Family == OperatorFamily.String || shape.Family == OperatorFamily.StringIgnoreCase ||
                shape.Family == OperatorFamily.StringLike || shape.Family == OperatorFamily.Arn);
            var wildcards = shape.Family == OperatorFamily.StringLike || shape.Family == OperatorFamily.Arn;
            return new ConditionClause(op, key, shape.Family, shape.Comparison, shape.Negated, ifExists, qualifier,
                values.Select(v => new PolicyPattern(v, variables, wildcards)).ToArray());
        }

        private static readonly System.Collections.Generic.Dictionary<string, (OperatorFamily Family, Comparison Comparison, bool Negated)> Operators =
            new System.Collections.Generic.Dictionary<string, (OperatorFamily, Comparison, bool)>(StringComparer.Ordinal)
            {
                ["StringEquals"] = (OperatorFamily.String, Comparison.Equals, false),
                ["StringNotEquals"] = (OperatorFamily.String, Comparison.Equals, true),
                ["StringEqualsIgnoreCase"] = (OperatorFamily.StringIgnoreCase, Comparison.Equals, false),
                ["StringNotEqualsIgnoreCase"] = (OperatorFamily.StringIgnoreCase, Comparison.Equals, true),
                ["StringLike"] = (OperatorFamily.StringLike, Comparison.Equals, false),
                ["StringNotLike"] = (OperatorFamily.StringLike, Comparison.Equals, true),
                ["NumericEquals"] = (OperatorFamily.Numeric, Comparison.Equals, false),
                ["NumericNotEquals"] = (OperatorFamily.Numeric, Comparison.Equals, true),
                ["NumericLessThan"] = (OperatorFamily.Numeric, Comparison.LessThan, false),
                ["NumericLessThanEquals"] = (OperatorFamily.Numeric, Comparison.LessThanEquals, false),
                ["NumericGreaterThan"] = (OperatorFamily.Numeric, Comparison.GreaterThan, false),
                ["NumericGreaterThanEquals"] = (OperatorFamily.Numeric, Comparison.GreaterThanEquals, false),
                ["DateEquals"] = (OperatorFamily.Date, Comparison.Equals, false),
                ["DateNotEquals"] = (OperatorFamily.Date, Comparison.Equals, true),
                ["DateLessThan"] = (OperatorFamily.Date, Comparison.LessThan, false),
                ["DateLessThanEquals"] = (OperatorFamily.Date, Comparison.LessThanEquals, false),
                ["DateGreaterThan"] = (OperatorFamily.Date, Comparison.GreaterThan, false),
                ["DateGreaterThanEquals"] = (OperatorFamily.Date, Comparison.GreaterThanEquals, false),
                ["Bool"] = (OperatorFamily.Bool, Comparison.Equals, false),
                ["BinaryEquals"] = (OperatorFamily.Binary, Comparison.Equals, false),
                ["IpAddress"] = (OperatorFamily.IpAddress, Comparison.Equals, false),
                ["NotIpAddress"] = (OperatorFamily.IpAddress, Comparison.Equals, true),
                ["ArnEquals"] = (OperatorFamily.Arn, Comparison.Equals, false),
                ["ArnLike"] = (OperatorFamily.Arn, Comparison.Equals, false),
                ["ArnNotEquals"] = (OperatorFamily.Arn, Comparison.Equals, true),
                ["ArnNotLike"] = (OperatorFamily.Arn, Comparison.Equals, true),
                ["Null"] = (OperatorFamily.Null, Comparison.Equals, false),
            };

        /// <summary>
        /// True when the clause holds. Absent keys: true for ...IfExists, negated operators and
        /// ForAllValues; false otherwise. ForAnyValue needs one context value to satisfy it, ForAllValues
        /// every one; without a qualifier any context value against any policy value (none, negated).
        /// </summary>
        public bool Evaluate(RequestContext context, out bool keyMissing)
        {
            var present = context.TryGet(Key, out var value);
            keyMissing = !present;
            if (Family == OperatorFamily.Null)
            {
                // "Null": true asks that the key be absent; false that it be present.
                return _values.Any(v => string.Equals(v.Text, "true", StringComparison.OrdinalIgnoreCase) ? !present : present);
            }

            if (!present)
            {
                return IfExists || Qualifier == SetQualifier.ForAllValues || (Qualifier == SetQualifier.None && Negated);
            }

            var contextValues = value.Values;
            if (contextValues.Length == 0)
            {
                return Qualifier == SetQualifier.ForAllValues || (Qualifier == SetQualifier.None && Negated);
            }

            // A variable that cannot be resolved makes the whole clause fail.
            var resolved = new string?[_values.Length];
            for (var i = 0; i < _values.Length; i++)
            {
                resolved[i] = _values[i].Resolve(context);
                if (resolved[i] is null)
                {
                    return false;
                }
            }

            switch (Qualifier)
            {
                case SetQualifier.ForAnyValue:
                    return contextValues.Any(c => AnyMatch(c, resolved) != Negated);
                case SetQualifier.ForAllValues:
                    return contextValues.All(c => AnyMatch(c, resolved) != Negated);
                default:
                    var any = contextValues.Any(c => AnyMatch(c, resolved));
                    return Negated ? !any : any;
            }
        }

        private bool AnyMatch(string contextValue, string?[] policyValues)
        {
            foreach (var policyValue in policyValues)
            {
                if (Compare(contextValue, policyValue!))
                {
                    return true;
                }
            }

            return false;
        }

        private bool Compare(string actual, string expected)
        {
            switch (Family)
            {
                case OperatorFamily.String:
                    return string.Equals(actual, expected, StringComparison.Ordinal);
                case OperatorFamily.StringIgnoreCase:
                    return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);
                case OperatorFamily.StringLike:
                    return PolicyPattern.Matches(expected, actual, ignoreCase: false);
                case OperatorFamily.Bool:
                    return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);
                case OperatorFamily.Binary:
                    return string.Equals(actual, expected, StringComparison.Ordinal);
                case OperatorFamily.Numeric:
                    return decimal.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) &&
                        decimal.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && Ordered(a.CompareTo(b));
                case OperatorFamily.Date:
                    return TryDate(actual, out var x) && TryDate(expected, out var y) && Ordered(x.CompareTo(y));
                case OperatorFamily.IpAddress:
                    return InRange(actual, expected);
                case OperatorFamily.Arn:
                    return ArnMatches(expected, actual);
                default:
                    return false;
            }
        }

        private bool Ordered(int order)
        {
            switch (Comparison)
            {
                case Comparison.LessThan: return order < 0;
                case Comparison.LessThanEquals: return order <= 0;
                case Comparison.GreaterThan: return order > 0;
                case Comparison.GreaterThanEquals: return order >= 0;
                default: return order == 0;
            }
        }

        // ISO 8601 dates and times, or seconds since the epoch.
        internal static bool TryDate(string text, out DateTimeOffset value)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && !text.Contains("-"))
            {
                value = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
                return true;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
        }

        // An address inside a CIDR block (IPv4 or IPv6), or equal to a bare address.
        internal static bool InRange(string address, string block)
        {
            var slash = block.IndexOf('/');
            if (!IPAddress.TryParse(address.Trim(), out var ip) || !IPAddress.TryParse(slash < 0 ? block : block.Substring(0, slash), out var network))
            {
                return false;
            }

            if (ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4();
            }

            var a = ip.GetAddressBytes();
            var n = network.GetAddressBytes();
            if (a.Length != n.Length)
            {
                return false;
            }

            var bits = slash < 0 ? a.Length * 8 : int.Parse(block.Substring(slash + 1), CultureInfo.InvariantCulture);
            for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
            {
                var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
                if ((a[i] & mask) != (n[i] & mask))
                {
                    return false;
                }
            }

            return true;
        }

        // ARNs compare field by field (arn:partition:service:region:account:resource), each with wildcards.
        internal static bool ArnMatches(string pattern, string arn)
        {
            var p = pattern.Split(new[] { ':' }, 6);
            var a = arn.Split(new[] { ':' }, 6);
            if (p.Length != 6 || a.Length != 6)
            {
                return PolicyPattern.Matches(pattern, arn, ignoreCase: false);
            }

            for (var i = 0; i < 6; i++)
            {
                if (!PolicyPattern.Matches(p[i], a[i], ignoreCase: false))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
