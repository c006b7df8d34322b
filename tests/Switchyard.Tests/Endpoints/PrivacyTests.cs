using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Ledger;
using Switchyard.Ledger;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Endpoints;

public sealed class PrivacyTests
{
    // A Luhn-valid test card number (Visa's documented test PAN).
    private const string Card = "4111 1111 1111 1111";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Chat(string model, string content, bool stream = false) =>
        $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{content}}"}]}""";

    /// <summary>An upstream that answers with the user's message as it received it.</summary>
    private static Func<Microsoft.AspNetCore.Http.HttpContext, ReceivedRequest, Task> Echo(int piecesOf = 3) => (context, request) =>
    {
        var json = request.Json;
        var model = json["model"]!.GetValue<string>();
        var content = json["messages"]![0]!["content"]!;
        var said = "You said: " + (content is JsonArray parts ? parts[0]!["text"]! : content).GetValue<string>();
        return json["stream"]?.GetValue<bool>() == true
            ? FakeUpstream.WriteSseAsync(context, OpenAIWire.TextChunks(model, said, includeUsage: false, piecesOf))
            : FakeUpstream.WriteJsonAsync(context, OpenAIWire.Completion(model, said));
    };

    [Fact]
    public async Task Chat_CardNumberInPrompt_ReachesOnlySelfHostedWhileTheSamePromptWithoutItGoesExternal()
    {
        await using var external = await FakeUpstream.StartAsync();
        await using var selfHosted = await FakeUpstream.StartAsync();
        var config = TestConfig.OpenAI(external.BaseUrl, selfHosted.BaseUrl, secondaryZone: "self-hosted", primaryWeight: 1, secondaryWeight: 0);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();

        using var plain = await client.PostAsync("/v1/chat/completions", Json(Chat("auto", "Please check my order")), Ct);
        using var withCard = await client.PostAsync("/v1/chat/completions", Json(Chat("auto", $"Please charge card {Card}")), Ct);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withCard.StatusCode);
        Assert.Equal("primary", plain.Headers.GetValues("x-switchyard-provider").Single());
        Assert.Equal("secondary", withCard.Headers.GetValues("x-switchyard-provider").Single());
        Assert.Equal("restricted", withCard.Headers.GetValues("x-switchyard-data-class").Single());
        Assert.Equal("CREDIT_CARD", withCard.Headers.GetValues("x-switchyard-pii").Single());
        Assert.DoesNotContain(external.Received, r => r.Text.Contains("4111", StringComparison.Ordinal));
        Assert.Single(external.Received);
        Assert.Single(selfHosted.Received);

        await app.StopAsync();
        var record = await app.Ledger.FindAsync(withCard.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal(("restricted", "CREDIT_CARD"), (record!.DataClass, record.PiiTypes));
        var plainRecord = await app.Ledger.FindAsync(plain.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Null(plainRecord!.PiiTypes);
    }

    [Fact]
    public async Task Chat_DateOfBirthInWordsAndMultiLineAddress_ReportedAsConfidentialWithBothTypes()
    {
        await using var external = await FakeUpstream.StartAsync();
        await using var selfHosted = await FakeUpstream.StartAsync();
        var config = TestConfig.OpenAI(external.BaseUrl, selfHosted.BaseUrl, secondaryZone: "self-hosted", primaryWeight: 1, secondaryWeight: 0);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions",
            Json(Chat("auto", "I was born on March 3rd, 1984 and my address is 4022 Oakridge Lane\\nDallas TX 48486. Update it please.")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("confidential", response.Headers.GetValues("x-switchyard-data-class").Single());
        Assert.Equal("DATE_OF_BIRTH,STREET_ADDRESS", response.Headers.GetValues("x-switchyard-pii").Single());
    }

    [Fact]
    public async Task Chat_PinnedExternalModelWithCard_Returns403ThatNamesTheEntityTypeButNotTheValue()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(Chat("gpt-4o-mini", $"card {Card}")), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("data_class_forbidden", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("CREDIT_CARD", body, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", body, StringComparison.Ordinal);
        Assert.Empty(upstream.Received);
    }

    [Theory]
    [InlineData("AB123456C")]
    [InlineData("AB 12 34 56 C")]
    [InlineData("AB 123456 C")]
    public async Task Chat_PinnedExternalModelWithNiNumberInAnyForm_Returns403AndSendsNothing(string nino)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(Chat("gpt-4o-mini", $"Update my payroll record, NI number {nino}, thanks")), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("UK_NINO", body, StringComparison.Ordinal);
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task Chat_RedactPolicy_UpstreamSeesPlaceholdersAndClientGetsValuesBack()
    {
        await using var upstream = await FakeUpstream.StartAsync(Echo());
        var config = TestConfig.OpenAI(upstream.BaseUrl, extra: "privacy:\n  on_restricted: redact\n");
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(Chat("gpt-4o-mini", $"charge {Card} and {Card} for jane@example.com")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(upstream.Received);
        Assert.Equal("charge <CREDIT_CARD_1> and <CREDIT_CARD_1> for <EMAIL_1>", sent.Json["messages"]![0]!["content"]!.GetValue<string>());
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.Equal($"You said: charge {Card} and {Card} for jane@example.com", reply);
        Assert.Equal("CREDIT_CARD,EMAIL", response.Headers.GetValues("x-switchyard-redacted").Single());
        Assert.Equal("internal", response.Headers.GetValues("x-switchyard-data-class").Single());
    }

    [Fact]
    public async Task Chat_RedactPolicyStreaming_PlaceholdersSplitAcrossChunksAreRestored()
    {
        await using var upstream = await FakeUpstream.StartAsync(Echo(piecesOf: 3));
        var config = TestConfig.OpenAI(upstream.BaseUrl, extra: "privacy:\n  on_restricted: redact\n");
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json(Chat("gpt-4o-mini", $"charge {Card} now", stream: true)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sse = await response.Content.ReadAsStringAsync(Ct);
        var text = new StringBuilder();
        foreach (var line in sse.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)))
        {
            var delta = JsonNode.Parse(line[6..])!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"];
            text.Append(delta?.GetValue<string>());
        }

        Assert.Equal($"You said: charge {Card} now", text.ToString());
        Assert.DoesNotContain("CREDIT_CARD", sse, StringComparison.Ordinal);
        Assert.Contains("<CREDIT_CARD_1>", Assert.Single(upstream.Received).Text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", sse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_RedactPolicyButHeaderSaysRestricted_StillRefused()
    {
        await using var upstream = await FakeUpstream.StartAsync(Echo());
        var config = TestConfig.OpenAI(upstream.BaseUrl, extra: "privacy:\n  on_restricted: redact\n");
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(Chat("gpt-4o-mini", $"card {Card}")) };
        request.Headers.Add("x-switchyard-data-class", "restricted");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task Chat_KeyPolicyRedactOverridesTableRefuse()
    {
        await using var upstream = await FakeUpstream.StartAsync(Echo());
        var redactKey = "sk-" + "redact-key-000111";
        var config = TestConfig.OpenAI(upstream.BaseUrl, extra: $"  - name: redactor\n    key: {redactKey}\n    privacy:\n      on_restricted: redact\n");
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var refused = await app.CreateClient().PostAsync("/v1/chat/completions", Json(Chat("gpt-4o-mini", $"card {Card}")), Ct);
        using var redacted = await app.CreateClient(redactKey).PostAsync("/v1/chat/completions", Json(Chat("gpt-4o-mini", $"card {Card}")), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        Assert.Contains("<CREDIT_CARD_1>", Assert.Single(upstream.Received).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_AnthropicClientWithRedactPolicy_TranslatedRequestCarriesPlaceholders()
    {
        await using var upstream = await FakeUpstream.StartAsync(Echo());
        var config = TestConfig.OpenAI(upstream.BaseUrl, extra: "privacy:\n  on_restricted: redact\n");
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();
        var body = $$"""{"model":"gpt-4o-mini","max_tokens":50,"messages":[{"role":"user","content":[{"type":"text","text":"card {{Card}}"}]}]}""";

        using var response = await client.PostAsync("/v1/messages", Json(body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("4111", Assert.Single(upstream.Received).Text, StringComparison.Ordinal);
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["content"]![0]!["text"]!.GetValue<string>();
        Assert.Equal($"You said: card {Card}", reply);
    }

    [Fact]
    public async Task Messages_AnthropicClientWithRedactPolicyStreaming_TranslatedDeltasGetTheValuesBack()
    {
        await using var upstream = await FakeUpstream.StartAsync(Echo(piecesOf: 3));
        var config = TestConfig.OpenAI(upstream.BaseUrl, extra: "privacy:\n  on_restricted: redact\n");
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();
        var body = $$"""{"model":"gpt-4o-mini","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"charge {{Card}} now"}]}""";

        using var response = await client.PostAsync("/v1/messages", Json(body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sse = await response.Content.ReadAsStringAsync(Ct);
        var text = new StringBuilder();
        foreach (var line in sse.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)))
        {
            var evt = JsonNode.Parse(line[6..])!;
            if (evt["type"]!.GetValue<string>() == "content_block_delta" && evt["delta"]!["type"]!.GetValue<string>() == "text_delta")
            {
                text.Append(evt["delta"]!["text"]!.GetValue<string>());
            }
        }

        Assert.Equal($"You said: charge {Card} now", text.ToString());
        Assert.DoesNotContain("CREDIT_CARD", sse, StringComparison.Ordinal);
        Assert.Contains("<CREDIT_CARD_1>", Assert.Single(upstream.Received).Text, StringComparison.Ordinal);
    }
}
