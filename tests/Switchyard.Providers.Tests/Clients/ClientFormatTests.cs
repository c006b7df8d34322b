using System.Text;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Clients;
using Switchyard.Providers.OpenAI;
using Xunit;

namespace Switchyard.Providers.Tests.Clients;

/// <summary>The client formats as plug-ins: found by name, and each wording a refusal in its own envelope with the shared retry headers.</summary>
public sealed class ClientFormatTests
{
    private static readonly ClientFormats _formats = new([new OpenAIClientFormat(), new AnthropicClientFormat()]);

    [Fact]
    public void Formats_AreFoundByName_AndAnUnknownNameIsAWiringError()
    {
        Assert.Equal(ApiFormat.OpenAI, _formats.Get(OpenAIClientFormat.FormatName).Format);
        Assert.Equal(ApiFormat.Anthropic, _formats.Get(AnthropicClientFormat.FormatName).Format);
        Assert.Throws<InvalidOperationException>(() => _formats.Get("responses"));
    }

    [Fact]
    public async Task OpenAI_Refusal_IsOpenAIsEnvelope_WithBothRetryHeaders_AndNoRetryWhenItCannotHelp()
    {
        var sink = new BufferSink();
        var problem = new Problem(429, "budget_exceeded", "Budget exceeded.") { RetryAfter = TimeSpan.FromMilliseconds(1500), ShouldRetry = false };

        await _formats.Get("openai").WriteErrorAsync(sink, problem, "req_1");

        Assert.Equal(429, sink.StatusCode);
        Assert.Equal("application/json", sink.ContentType);
        Assert.Equal("2", sink.Headers["retry-after"]);
        Assert.Equal("1500", sink.Headers["retry-after-ms"]);
        Assert.Equal("false", sink.Headers["x-should-retry"]);
        var body = await sink.BodyAsync();
        Assert.Equal(Encoding.UTF8.GetByteCount(body), sink.ContentLength);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("Budget exceeded.", error.GetProperty("message").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Anthropic_Refusal_IsAnthropicsEnvelope_AndAGateway503IsOverloaded529()
    {
        var sink = new BufferSink();

        await _formats.Get("anthropic").WriteErrorAsync(sink, new Problem(503, "no_deployment_available", "No deployment is available now."), "req_7");

        Assert.Equal(529, sink.StatusCode);
        Assert.False(sink.Headers.ContainsKey("x-should-retry"));
        var root = JsonDocument.Parse(await sink.BodyAsync()).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal("overloaded_error", root.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("No deployment is available now.", root.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("req_7", root.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Refusal_AfterTheResponseStarted_WritesNothing()
    {
        var sink = new BufferSink { HasStarted = true };

        await _formats.Get("openai").WriteErrorAsync(sink, new Problem(502, "upstream_error", "The upstream request failed."), "req_2");

        Assert.Equal(0, sink.StatusCode);
        Assert.Empty(await sink.BodyAsync());
    }

    [Fact]
    public void Parse_RefusesABadBody_WithAProblemNamingTheField()
    {
        var (request, problem) = _formats.Get("openai").Parse(Encoding.UTF8.GetBytes("""{"model":"m","messages":"hi"}"""), Operation.ChatCompletion);

        Assert.Null(request);
        Assert.NotNull(problem);
        Assert.Equal(400, problem.Status);
        Assert.Equal("messages", problem.Param);
    }

    [Theory]
    [InlineData(DispatchStatus.ConnectFailed, 0, 503, 529)]
    [InlineData(DispatchStatus.Timeout, 0, 504, 504)]
    [InlineData(DispatchStatus.RateLimited, 429, 429, 429)]
    [InlineData(DispatchStatus.Rejected, 422, 422, 422)]
    public void ClientStatus_FollowsEachFormatsConventions(DispatchStatus status, int upstream, int openAI, int anthropic)
    {
        var result = UpstreamResult.Failure(status, upstream, "failed", TimeSpan.Zero, null);

        Assert.Equal(openAI, _formats.Get("openai").ClientStatus(result).Status);
        Assert.Equal(anthropic, _formats.Get("anthropic").ClientStatus(result).Status);
    }
}
