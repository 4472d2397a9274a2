using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace AwsDevCmdlets.Core.Policy
{
    /// <summary>A parsed, precompiled IAM policy: the grammar's variants accepted, its mistakes refused.</summary>
    public sealed class PolicyDocument
    {
        private PolicyDocument(string name, IReadOnlyList<PolicyStatement> statements)
        {
            Name = name;
            Statements = statements;
        }

        public string Name { get; }

        public IReadOnlyList<PolicyStatement> Statements { get; }

        /// <summary>Parses policy JSON; invalid JSON is reported with its line and position.</summary>
        public static PolicyDocument Parse(string json, string name)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            }
            catch (JsonException e)
            {
                var where = e.LineNumber is long line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : string.Empty;
                throw new AwsDevException(ErrorIds.InvalidPolicyJson, ErrorKind.InvalidData, $"Policy '{name}' is not valid JSON{where}: {FirstSentence(e.Message)}", name, e);
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(name, "a policy is a JSON object with a Statement");
                }

                var version = Property(root, "Version")?.GetString();
                var variables = version == "2012-10-17";
                var statementElement = Property(root, "Statement") ?? throw Invalid(name, "it has no Statement");
                var statements = statementElement.ValueKind == JsonValueKind.Array
                    ? statementElement.EnumerateArray().ToList()
                    : new List<JsonElement> { statementElement };
                return new PolicyDocument(name, statements.Select((s, i) => PolicyStatement.Parse(s, i + 1, name, variables)).ToList());
            }
        }

        internal static JsonElement? Property(JsonElement element, string name)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals(name))
                {
                    return property.Value;
                }
            }

            return null;
        }

        /// <summary>A string or an array of strings (numbers and booleans as their text).</summary>
        internal static string[] Strings(JsonElement element, string policy, string what)
        {
            IEnumerable<JsonElement> items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : new[] { element };
            return items.Select(item =>
            {
                switch (item.ValueKind)
                {
                    case JsonValueKind.String: return item.GetString()!;
                    case JsonValueKind.Number: return item.GetRawText();
                    case JsonValueKind.True: return "true";
                    case JsonValueKind.False: return "false";
                    default: throw Invalid(policy, $"{what} must be a string or an array of strings, not {item.ValueKind}");
                }
            }).ToArray();
        }

        internal static AwsDevException Invalid(string policy, string problem) =>
            new AwsDevException(ErrorIds.InvalidPolicy, ErrorKind.InvalidData, $"Policy '{policy}' is not a valid policy: {problem}.", policy);

        // System.Text.Json appends the path and position; the position is already in the message.
        private static string FirstSentence(string message)
        {
            foreach (var marker in new[] { " Path:", " LineNumber:" })
            {
                var cut = message.IndexOf(marker, StringComparison.Ordinal);
                if (cut > 0)
                {
                    message = message.Substring(0, cut);
                }
            }

            return message.TrimEnd();
        }
    }

    public sealed class PolicyStatement
    {
        public string Label { get; private set; } = string.Empty;

        public bool IsAllow { get; private set; }

        internal PolicyPattern[] Actions { get; private set; } = Array.Empty<PolicyPattern>();

        internal bool NotAction { get; private set; }

        internal PolicyPattern[] Resources { get; private set; } = Array.Empty<PolicyPattern>();

        internal bool NotResource { get; private set; }

        internal PrincipalName[]? Principals { get; private set; }

        internal bool NotPrincipal { get; private set; }

        internal ConditionClause[] Conditions { get; private set; } = Array.Empty<ConditionClause>();

        internal static PolicyStatement Parse(JsonElement element, int position, string policy, bool variables)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw PolicyDocument.Invalid(policy, $"statement #{position} is not an object");
            }

            var sid = PolicyDocument.Property(element, "Sid")?.GetString();
            var statement = new PolicyStatement { Label = string.IsNullOrEmpty(sid) ? "#" + position.ToString(CultureInfo.InvariantCulture) : sid! };
            var where = $"statement {statement.Label}";
            var effect = PolicyDocument.Property(element, "Effect")?.GetString();
            if (effect != "Allow" && effect != "Deny")
            {
                throw PolicyDocument.Invalid(policy, $"{where} has Effect '{effect}'; it must be Allow or Deny");
            }

            statement.IsAllow = effect == "Allow";

            var action = PolicyDocument.Property(element, "Action");
            var notAction = PolicyDocument.Property(element, "NotAction");
            if ((action is null) == (notAction is null))
            {
                throw PolicyDocument.Invalid(policy, $"{where} needs exactly one of Action and NotAction");
            }

            statement.NotAction = notAction != null;
            statement.Actions = PolicyDocument.Strings((action ?? notAction)!.Value, policy, "Action").Select(a => new PolicyPattern(a, false, true)).ToArray();

            var resource = PolicyDocument.Property(element, "Resource");
            var notResource = PolicyDocument.Property(element, "NotResource");
            statement.NotResource = notResource != null;
            statement.Resources = resource is null && notResource is null
                ? new[] { new PolicyPattern("*", false, true) }
                : PolicyDocument.Strings((resource ?? notResource)!.Value, policy, "Resource").Select(r => new PolicyPattern(r, variables, true)).ToArray();

            var principal = PolicyDocument.Property(element, "Principal");
            var notPrincipal = PolicyDocument.Property(element, "NotPrincipal");
            if (principal != null || notPrincipal != null)
            {
                statement.NotPrincipal = notPrincipal != null;
                statement.Principals = ParsePrincipals((principal ?? notPrincipal)!.Value, policy, where);
            }

            var condition = PolicyDocument.Property(element, "Condition");
            if (condition != null)
            {
                if (condition.Value.ValueKind != JsonValueKind.Object)
                {
                    throw PolicyDocument.Invalid(policy, $"{where} has a Condition that is not an object");
                }

                var clauses = new List<ConditionClause>();
                foreach (var op in condition.Value.EnumerateObject())
                {
                    if (op.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw PolicyDocument.Invalid(policy, $"{where}: condition operator {op.Name} must map keys to values");
                    }

                    foreach (var key in op.Value.EnumerateObject())
                    {
                        clauses.Add(ConditionClause.Create(op.Name, key.Name, PolicyDocument.Strings(key.Value, policy, $"the values of {key.Name}"), variables, policy));
                    }
                }

                statement.Conditions = clauses.ToArray();
            }

            return statement;
        }

        private static PrincipalName[] ParsePrincipals(JsonElement element, string policy, string where)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                return new[] { PrincipalName.Parse(element.GetString()!) };
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw PolicyDocument.Invalid(policy, $"{where} has a Principal that is neither \"*\" nor an object");
            }

            return element.EnumerateObject()
                .SelectMany(type => PolicyDocument.Strings(type.Value, policy, "Principal").Select(p => PrincipalName.Parse(p, type.Name)))
                .ToArray();
        }

        /// <summary>Action matched without regard to case; with NotAction, matched by none.</summary>
        internal bool AppliesToAction(string action)
        {
            var any = false;
            foreach (var pattern in Actions)
            {
                if (PolicyPattern.Matches(pattern.Static!, action, ignoreCase: true))
                {
                    any = true;
                    break;
                }
            }

            return any != NotAction;
        }

        internal bool AppliesToResource(string resource, RequestContext context)
        {
            var any = false;
            foreach (var pattern in Resources)
            {
                if (pattern.Matches(resource, context, ignoreCase: false))
                {
                    any = true;
                    break;
                }
            }

            return any != NotResource;
        }

        /// <summary>The principal element, for resource policies: the first covering entry, or null.</summary>
        internal PrincipalName? CoveringPrincipal(PrincipalName? caller)
        {
            if (Principals is null)
            {
                return null;
            }

            var covering = Principals.FirstOrDefault(p => p.Covers(caller));
            if (NotPrincipal)
            {
                return covering is null ? PrincipalName.Parse("*") : null;
            }

            return covering;
        }
    }
}
