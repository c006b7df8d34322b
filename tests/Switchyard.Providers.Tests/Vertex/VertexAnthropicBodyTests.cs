using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Vertex;
using Xunit;

namespace Switchyard.Providers.Tests.Vertex;

/// <summary>An Anthropic client's body forwarded to Claude on Vertex: the model member out, anthropic_version in, the rest byte for byte.</summary>
public sealed class VertexAnthropicBodyTests
{
    private static string Forward(string json)
    {
        var (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(json));
        Assert.Null(error);
        var output = new ArrayBufferWriter<byte>();
        VertexAnthropicBody.Forward(request!, "vertex-2023-10-16", 4096, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("""{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""", """{"anthropic_version":"vertex-2023-10-16","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""")]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"Hi"}], "model" : "claude" }""", """{"anthropic_version":"vertex-2023-10-16","max_tokens":10,"messages":[{"role":"user","content":"Hi"}] }""")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"model":"claude","thinking":{"type":"enabled","budget_tokens":1024}}""", """{"anthropic_version":"vertex-2023-10-16","max_tokens":4096,"messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":1024}}""")]
    public void Forward_ModelRemovedVersionAdded(string client, string expected)
    {
        var forwarded = Forward(client);

        Assert.Equal(expected, forwarded);
        Assert.NotNull(JsonNode.Parse(forwarded));
    }
}
