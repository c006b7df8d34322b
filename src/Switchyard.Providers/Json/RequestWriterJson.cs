using System.Text.Json;
using Switchyard.Core.Model;
namespace Switchyard.Providers.Json;

/// <summary>
/// What the request writers share. All of them: the sampling parameters and the stop list, under each format's names.
/// Those of formats without system turns (Anthropic, Gemini): system and developer messages, wherever they stand,
/// become one system prompt, and the other turns are written with consecutive turns of one role merged into one
/// message, since both formats want roles to alternate and tool results inside a user turn.
/// </summary>
internal static class RequestWriterJson
{
    /// <summary><c>temperature</c>, then top-p and top-k under the format's names, each only when the request set it.</summary>
    public static void WriteSampling(Utf8JsonWriter w, CanonicalRequest request, ReadOnlySpan<byte> topPName, ReadOnlySpan<byte> topKName)
    {
        if (request.Temperature is { } temperature)
        {
            w.WriteNumber("temperature"u8, temperature);
        }

        if (request.TopP is { } topP)
        {
            w.WriteNumber(topPName, topP);
        }

        if (request.TopK is { } topK)
        {
            w.WriteNumber(topKName, topK);
        }
    }

    /// <summary>The stop sequences under the format's name, when there are any.</summary>
    public static void WriteStop(Utf8JsonWriter w, CanonicalRequest request, ReadOnlySpan<byte> name)
    {
        if (request.Stop.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var stop in request.Stop)
        {
            w.WriteStringValue(stop);
        }

        w.WriteEndArray();
    }

    public static bool HasSystemTurn(IReadOnlyList<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            if (IsSystem(message))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text of every part of every system and developer message, in order.</summary>
    public static IEnumerable<string> SystemTexts(IReadOnlyList<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!IsSystem(message))
            {
                continue;
            }

            foreach (var part in message.Content)
            {
                yield return part.Text ?? "";
            }
        }
    }

    /// <summary>
    /// Writes <c>"arrayName": [{"role": …, "contentName": [ … ]}, …]</c>: user and tool turns as <c>user</c>, assistant
    /// turns as <paramref name="assistantRole"/>, system turns left out; <paramref name="writeContent"/> writes one
    /// message's items into the open content array.
    /// </summary>
    public static void WriteMergedTurns<TState>(Utf8JsonWriter w, ReadOnlySpan<byte> arrayName, IReadOnlyList<ChatMessage> messages, string assistantRole,
        ReadOnlySpan<byte> contentName, TState state, Action<Utf8JsonWriter, ChatMessage, TState> writeContent)
    {
        w.WriteStartArray(arrayName);
        string? openRole = null;
        foreach (var message in messages)
        {
            var role = message.Role switch
            {
                ChatRole.Assistant => assistantRole,
                ChatRole.User or ChatRole.Tool => "user",
                _ => null,
            };
            if (role is null)
            {
                continue;
            }

            if (openRole != role)
            {
                if (openRole is not null)
                {
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteStartObject();
                w.WriteString("role"u8, role);
                w.WriteStartArray(contentName);
                openRole = role;
            }

            writeContent(w, message, state);
        }

        if (openRole is not null)
        {
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static bool IsSystem(ChatMessage message) => message.Role is ChatRole.System or ChatRole.Developer;
}
