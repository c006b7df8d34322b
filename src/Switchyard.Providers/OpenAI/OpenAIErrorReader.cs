using System.Text.Json;
using Switchyard.Core.Common;
namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Extracts the useful, safe part of an upstream error body: OpenAI's <c>error.message</c>, <c>code</c>
/// and <c>param</c>, redacted. The raw body never reaches a client (it may echo keys or internal hosts).
/// </summary>
internal static class OpenAIErrorReader
{
    public static (string? Message, string? Code, string? Param) Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            string? message = null, code = null, param = null;
            var depth = 0;
            var inError = false;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        depth++;
                        break;
                    case JsonTokenType.EndObject:
                        depth--;
                        inError = inError && depth >= 2;
                        break;
                    case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("error"u8):
                        inError = true;
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            message = reader.GetString();
                            inError = false;
                        }
                        else if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            depth++;
                        }

                        break;
                    case JsonTokenType.PropertyName when depth == 1 && message is null && (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("detail"u8)):
                        reader.Read();
                        message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        break;
                    case JsonTokenType.PropertyName when inError && depth == 2:
                        var isMessage = reader.ValueTextEquals("message"u8);
                        var isCode = reader.ValueTextEquals("code"u8) || (code is null && reader.ValueTextEquals("type"u8));
                        var isParam = reader.ValueTextEquals("param"u8);
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var value = reader.GetString();
                            if (isMessage) { message = value; }
                            else if (isCode) { code = value; }
                            else if (isParam) { param = value; }
                        }
                        else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            reader.Skip();
                        }

                        break;
                }
            }

            return (message is null ? null : SecretRedactor.Redact(message), code is null ? null : SecretRedactor.Redact(code, 64), param is null ? null : SecretRedactor.Redact(param, 128));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }
}
