using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsDevCmdlets.Core.Credentials;

namespace AwsDevCmdlets
{
    /// <summary>Tab completion of profile names from the shared files, through the SDK's profile store.</summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(AwsContextResolver.ListProfileNames, wordToComplete);
    }

    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Matching(AwsContextResolver.ListRegionNames, wordToComplete);
    }

    internal static class Completions
    {
        public static IEnumerable<CompletionResult> Matching(Func<IReadOnlyList<string>> names, string wordToComplete)
        {
            IReadOnlyList<string> candidates;
            try
            {
                candidates = names();
            }
            catch (Exception)
            {
                // A broken config file must not make tab completion throw at the prompt.
                return Enumerable.Empty<CompletionResult>();
            }

            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return candidates
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n.IndexOfAny(new[] { ' ', '\'', '"', '$', '`' }) >= 0 ? $"'{n.Replace("'", "''")}'" : n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
