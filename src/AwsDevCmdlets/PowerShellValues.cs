using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace AwsDevCmdlets
{
    /// <summary>
    /// Turns PowerShell values (hashtables, PSCustomObjects, arrays, wrapped scalars) into plain .NET
    /// dictionaries, lists and scalars, the only shapes the engine accepts from across its load context.
    /// </summary>
    internal static class PowerShellValues
    {
        public static object? ToPlain(object? value)
        {
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    return wrapped.Properties.ToDictionary(p => p.Name, p => ToPlain(p.Value), StringComparer.Ordinal);
                }

                value = wrapped.BaseObject;
            }

            switch (value)
            {
                case null:
                    return null;
                case string _:
                case bool _:
                case DateTime _:
                case DateTimeOffset _:
                    return value;
                case IDictionary dictionary:
                    return dictionary.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => ToPlain(dictionary[k]), StringComparer.Ordinal);
                case IEnumerable list:
                    return list.Cast<object?>().Select(ToPlain).ToList();
                case IFormattable _:
                    return value;
                default:
                    return value.ToString();
            }
        }
    }
}
