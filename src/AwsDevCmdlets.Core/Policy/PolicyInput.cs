using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace AwsDevCmdlets.Core.Policy
{
    /// <summary>Builds policies and contexts from what the cmdlet layer received, already freed of PowerShell types.</summary>
    public static class PolicyInput
    {
        /// <summary>A policy from JSON text, or from a tree of dictionaries, lists and scalars of the same shape.</summary>
        public static PolicyDocument Document(object input, string name)
        {
            if (input is string json)
            {
                return PolicyDocument.Parse(json, name);
            }

            return PolicyDocument.Parse(JsonSerializer.Serialize(input), name);
        }

        /// <summary>Context keys: a string is one value, a list several (an empty list is present but empty).</summary>
        public static IEnumerable<KeyValuePair<string, ContextValue>> Context(IEnumerable<KeyValuePair<string, object?>> entries)
        {
            foreach (var entry in entries)
            {
                if (entry.Value is IList<object?> list)
                {
                    yield return new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.Multi(list.Select(Text)));
                }
                else if (entry.Value is null)
                {
                    throw new AwsDevException(ErrorIds.InvalidContext, ErrorKind.InvalidArgument,
                        $"Context key '{entry.Key}' has no value: give a string, or an empty array for a present but empty multivalued key.", entry.Key);
                }
                else
                {
                    yield return new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.Single(Text(entry.Value)));
                }
            }
        }

        /// <summary>Refuses an action that is not one action (service:Name without wildcards).</summary>
        public static void ValidateAction(string action)
        {
            var colon = action.IndexOf(':');
            if (PolicyPattern.HasWildcard(action) || colon <= 0 || colon == action.Length - 1)
            {
                throw new AwsDevException(ErrorIds.InvalidAction, ErrorKind.InvalidArgument,
                    $"'{action}' is not one action: give service:ActionName, such as s3:GetObject, without wildcards.", action);
            }
        }

        private static string Text(object? value)
        {
            switch (value)
            {
                case null: return string.Empty;
                case bool b: return b ? "true" : "false";
                case DateTime d: return d.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                case DateTimeOffset o: return o.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString() ?? string.Empty;
            }
        }
    }
}
