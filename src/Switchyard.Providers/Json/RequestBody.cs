using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;

namespace Switchyard.Providers.Json;

/// <summary>
/// The envelope every client format's parser shares: the checks a body fails before any field is read (empty, not
/// UTF-8, a lone surrogate escape), the one forward-only reader over it, and a refused field or malformed JSON turned
/// into the 400 <see cref="Problem"/> Egress writes in the client's format. Each format supplies its codes and its
/// wording of a JSON syntax error.
/// </summary>
internal static class RequestBody
{
    /// <summary>Reads <paramref name="body"/> with <paramref name="read"/>, or says why it cannot be read.</summary>
    /// <param name="body">The request body as received.</param>
    /// <param name="read">The format's reader of the body into the canonical request.</param>
    /// <param name="bodyCode">The code of a body that is empty or not UTF-8.</param>
    /// <param name="jsonCode">The code of a body that is not JSON (a lone surrogate escape included).</param>
    /// <param name="jsonMessage">The format's wording of a JSON syntax error, from its line and byte (1-based).</param>
    /// <param name="fieldCodes">Whether a refused field keeps its own code (OpenAI's <c>code</c>), else <paramref name="jsonCode"/>.</param>
    public static (CanonicalRequest? Request, Problem? Error) Parse(
        ReadOnlyMemory<byte> body, Reader read, string bodyCode, string jsonCode, Func<long, long, string> jsonMessage, bool fieldCodes)
    {
        if (body.IsEmpty)
        {
            return (null, Invalid("The request body is empty; send a JSON object.", null, bodyCode));
        }

        if (!Utf8.IsValid(body.Span))
        {
            return (null, Invalid("The request body is not valid UTF-8.", null, bodyCode));
        }

        if (RequestJson.LoneSurrogateError(body.Span) is { } surrogate)
        {
            return (null, Invalid(surrogate, null, jsonCode));
        }

        try
        {
            var reader = new Utf8JsonReader(body.Span, RequestJson.ReaderOptions);
            return (read(ref reader, body), null);
        }
        catch (RequestFieldException ex)
        {
            return (null, Invalid(ex.Message, ex.Param, fieldCodes ? ex.Code : jsonCode));
        }
        catch (JsonException ex)
        {
            return (null, Invalid(jsonMessage((ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1), null, jsonCode));
        }
    }

    /// <summary>Reads the body the reader runs over into the canonical request.</summary>
    public delegate CanonicalRequest Reader(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body);

    /// <summary>A 400 for a request the gateway refuses at the door.</summary>
    public static Problem Invalid(string message, string? param, string code) => new(400, code, message) { Param = param };
}
