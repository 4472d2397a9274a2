using System;
using System.Collections.Generic;
using System.Text;

namespace AwsDevCmdlets.Core.Policy
{
    /// <summary>
    /// A policy string compiled once: literal text, the wildcards * and ?, and policy variables
    /// (${aws:username}, ${aws:PrincipalTag/team}, ${key, 'default'}, ${*}, ${?}, ${$}). Variables are
    /// substituted per request and their values, like ${*}, always match literally.
    /// </summary>
    public sealed class PolicyPattern
    {
        private const char Star = '\uE000';
        private const char Question = '\uE001';

        // Each part: literal text (wildcards already mapped to the private-use marks above when they are
        // wildcards), or a variable to resolve.
        private readonly List<(string? Literal, string? Variable, string? Default)> _parts = new List<(string?, string?, string?)>();
        private readonly string? _static;

        public PolicyPattern(string text, bool variablesEnabled, bool wildcards)
        {
            Text = text;
            var literal = new StringBuilder();
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (variablesEnabled && c == '$' && i + 1 < text.Length && text[i + 1] == '{')
                {
                    var close = text.IndexOf('}', i + 2);
                    if (close > 0)
                    {
                        var inner = text.Substring(i + 2, close - i - 2).Trim();
                        i = close;
                        if (inner == "*" || inner == "?" || inner == "$")
                        {
                            literal.Append(inner[0]);
                            continue;
                        }

                        Flush(literal);
                        var comma = inner.IndexOf(',');
                        string key = inner, fallback = null!;
                        if (comma >= 0)
                        {
                            key = inner.Substring(0, comma).Trim();
                            fallback = inner.Substring(comma + 1).Trim().Trim('\'');
                        }

                        _parts.Add((null, key, comma >= 0 ? fallback : null));
                        HasVariables = true;
                        continue;
                    }
                }

                literal.Append(wildcards && c == '*' ? Star : wildcards && c == '?' ? Question : c);
            }

            Flush(literal);
            if (!HasVariables)
            {
                _static = _parts.Count == 0 ? string.Empty : _parts[0].Literal;
            }
        }

        public string Text { get; }

        public bool HasVariables { get; }

        /// <summary>The compiled text of a pattern without variables (actions); null when it has some.</summary>
        public string? Static => _static;

        /// <summary>The pattern with its variables substituted; null when one cannot be resolved.</summary>
        public string? Resolve(RequestContext context)
        {
            if (_static != null)
            {
                return _static;
            }

            var result = new StringBuilder();
            foreach (var (literal, variable, fallback) in _parts)
            {
                if (literal != null)
                {
                    result.Append(literal);
                    continue;
                }

                var value = context.SingleValue(variable!) ?? fallback;
                if (value is null)
                {
                    return null;
                }

                result.Append(value);
            }

            return result.ToString();
        }

        /// <summary>Matches a resolved pattern; * spans any characters ('/' and ':' included), ? one.</summary>
        public static bool Matches(string resolvedPattern, string input, bool ignoreCase)
        {
            int p = 0, s = 0, starP = -1, starS = 0;
            while (s < input.Length)
            {
                if (p < resolvedPattern.Length && (resolvedPattern[p] == Question || Same(resolvedPattern[p], input[s], ignoreCase)))
                {
                    p++;
                    s++;
                }
                else if (p < resolvedPattern.Length && resolvedPattern[p] == Star)
                {
                    starP = p++;
                    starS = s;
                }
                else if (starP >= 0)
                {
                    p = starP + 1;
                    s = ++starS;
                }
                else
                {
                    return false;
                }
            }

            while (p < resolvedPattern.Length && resolvedPattern[p] == Star)
            {
                p++;
            }

            return p == resolvedPattern.Length;
        }

        /// <summary>Resolves and matches; false when a variable cannot be resolved.</summary>
        public bool Matches(string input, RequestContext context, bool ignoreCase)
        {
            var resolved = Resolve(context);
            return resolved != null && Matches(resolved, input, ignoreCase);
        }

        /// <summary>The resolved text with wildcards shown as typed (for literal comparisons).</summary>
        public static string Plain(string resolved) => resolved.Replace(Star, '*').Replace(Question, '?');

        public static bool HasWildcard(string text) => text.IndexOf('*') >= 0 || text.IndexOf('?') >= 0;

        private static bool Same(char a, char b, bool ignoreCase) =>
            a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));

        private void Flush(StringBuilder literal)
        {
            if (literal.Length > 0)
            {
                _parts.Add((literal.ToString(), null, null));
                literal.Clear();
            }
        }

        public override string ToString() => Text;
    }
}
