using System.Text.Json;

namespace Switchyard.Smoke.Tests;

/// <summary>The error body each surface promises: OpenAI's error object, Anthropic's error event, or ProblemDetails (admin).</summary>
public enum ErrorFormat
{
    OpenAI,
    Anthropic,
    Problem,
}

/// <summary>Checks that a response's body is a well-formed error in a format; returns null when it is, else what is wrong.</summary>
public static class ErrorFormats
{
    /// <summary>The format a caller of <paramref name="path"/> expects its errors in.</summary>
    public static ErrorFormat For(string path) =>
        path.StartsWith("/v1/messages", StringComparison.Ordinal) ? ErrorFormat.Anthropic
        : path.StartsWith("/admin/", StringComparison.Ordinal) ? ErrorFormat.Problem
        : ErrorFormat.OpenAI;

    public static string? Check(ErrorFormat format, int status, string? mediaType, string body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"not JSON: {Clip(body)}";
        }

        return format switch
        {
            ErrorFormat.OpenAI => root.TryGetProperty("error", out var error) && IsString(error, "message") && IsString(error, "type")
                ? null : $"not an OpenAI error object: {Clip(body)}",
            ErrorFormat.Anthropic => IsString(root, "type") && root.GetProperty("type").GetString() == "error"
                && root.TryGetProperty("error", out var error) && IsString(error, "type") && IsString(error, "message")
                && IsString(root, "request_id") && root.GetProperty("request_id").GetString()!.StartsWith("req_", StringComparison.Ordinal)
                ? null : $"not an Anthropic error with a request_id: {Clip(body)}",
            _ => mediaType == "application/problem+json" && root.TryGetProperty("status", out var s) && s.GetInt32() == status && IsString(root, "title")
                ? null : $"not ProblemDetails ({mediaType}): {Clip(body)}",
        };
    }

    /// <summary>
    /// Admin URLs answer 404 in OpenAI's format when the admin API is off (as if they did not exist); with it on, in
    /// ProblemDetails. This suite runs with it on, so only a bodyless or foreign 404 would fail.
    /// </summary>
    public static string? CheckAny(string path, int status, string? mediaType, string body) =>
        Check(For(path), status, mediaType, body) is { } problem && (For(path) != ErrorFormat.Problem || Check(ErrorFormat.OpenAI, status, mediaType, body) is not null)
            ? problem
            : null;

    private static bool IsString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
