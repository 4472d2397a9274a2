using System.Text.Json;

namespace AwsDevCmdlets.Core
{
    internal static class JsonText
    {
        /// <summary>A string property of a JSON object; null when it is absent or not a string.</summary>
        public static string? String(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
    }
}
