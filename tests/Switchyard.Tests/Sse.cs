using System.Text.Json.Nodes;

namespace Switchyard.Tests;

/// <summary>Reads an SSE body the way a client would.</summary>
internal static class Sse
{
    public static List<string> Data(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e[6..])];

    public static string AssembleContent(IEnumerable<string> events) =>
        string.Concat(events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!["choices"]!.AsArray())
            .Where(c => c.Count > 0).Select(c => c[0]!["delta"]!["content"]?.GetValue<string>() ?? ""));
}
