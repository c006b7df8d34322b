using System.Text;
using System.Text.Json;

namespace Switchyard.Providers.Json;

/// <summary>
/// What the ingress parsers of every client format share: reader options, the raw slice of a value, and how a
/// token is named in an error. The typed field readers stay with each parser because each API words its
/// errors in its own style.
/// </summary>
internal static class RequestJson
{
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The JSON text of the value at the reader; the reader runs over the whole body, so it is a slice of it.</summary>
    public static string RawSlice(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "something else",
    };

    /// <summary>
    /// The refusal of a body holding a lone UTF-16 surrogate escape, or null when it holds none (<see cref="Core.Common.LoneSurrogates"/>).
    /// </summary>
    public static string? LoneSurrogateError(ReadOnlySpan<byte> body) => Core.Common.LoneSurrogates.Error(body);

    /// <summary>A client-supplied value quoted back in an error, cut to a readable length.</summary>
    public static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>A request field a parser refuses; the parser's entry point turns it into its format's 400.</summary>
internal sealed class RequestFieldException(string message, string? param, string code = "invalid_value") : Exception(message)
{
    public string? Param { get; } = param;

    public string Code { get; } = code;
}
