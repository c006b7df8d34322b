using System.Text;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Xunit;

namespace Switchyard.Core.Tests.Configuration;

public sealed class PrivacyConfigTests
{
    private const string Base = """
        providers:
          sim:
            type: simulated
        deployments:
          - id: sim-llama
            provider: sim
            model: llama
        models:
          llama:
            price: {input: 0.1, output: 0.2}
        keys:
          - name: dev
            key: dev-key-12345
            privacy: {on_restricted: redact}
          - name: other
            key: other-key-12345

        """;

    private static (GatewayConfig Config, IReadOnlyList<ConfigError> Errors) Load(string privacy) => ConfigLoader.Load(Base + privacy, "gw.yaml");

    private sealed class NoAdapters : IProviderAdapterFactory
    {
        public string Type => "simulated";

        public IProviderAdapter Create(ProviderSettings settings) => null!;
    }

    private static RouteTable Compile(GatewayConfig config) => new RouteTableCompiler([new NoAdapters()], TimeProvider.System, _ => null).Compile(config);

    /// <summary>A one-turn chat as a parser hands it to Inspect: the user's text and its segment (the JSON string token, quotes included).</summary>
    private static CanonicalRequest Chat(string text)
    {
        const string Head = """{"model":"llama","messages":[{"role":"user","content":""";
        var token = System.Text.Json.JsonSerializer.Serialize(text);
        return new()
        {
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.ChatCompletion,
            Model = "llama",
            Messages = [new ChatMessage { Role = ChatRole.User, Content = [new ContentPart(ContentPartKind.Text, text)], ContentIsString = true }],
            RawBody = Encoding.UTF8.GetBytes(Head + token + "}]}"),
            Segments = [new TextSegment(Encoding.UTF8.GetByteCount(Head), Encoding.UTF8.GetByteCount(token), text, TextSegmentKind.Content, Message: 0, Part: 0)],
        };
    }

    [Fact]
    public void Load_PrivacySection_ClassesPatternsAndKeyActionsCompile()
    {
        var (config, errors) = Load("""
            privacy:
              classes: {EMAIL: restricted, IP_ADDRESS: public}
              patterns:
                - name: PROJECT_FALCON
                  keywords: [falcon]
                  class: restricted
                - name: TICKET
                  regex: 'OPS-\d{4}'
                  class: internal
              on_restricted: refuse
            """);

        Assert.Empty(errors);
        var table = Compile(config);
        Assert.True(table.Keys.TryAuthenticate("dev-key-12345", out var dev));
        Assert.True(table.Keys.TryAuthenticate("other-key-12345", out var other));
        Assert.Equal(RestrictedAction.Redact, dev.OnRestricted);
        Assert.Null(other.OnRestricted);
        Assert.Equal(RestrictedAction.Refuse, table.Privacy.OnRestricted);

        var inspector = new Inspector();
        var email = inspector.Inspect(Chat("write to a@example.com"), other, null, table.Privacy);
        var project = inspector.Inspect(Chat("status of Falcon and OPS-1234"), other, null, table.Privacy);
        Assert.Equal((DataClass.Restricted, "detected EMAIL"), (email.DataClass, email.DataClassReason));
        Assert.Equal(DataClass.Restricted, project.DataClass);
        Assert.Equal(["PROJECT_FALCON", "TICKET"], project.Privacy.EntityTypes);
    }

    [Theory]
    [InlineData("privacy:\n  classes: {PASSPORT: restricted}\n", "unknown entity type 'PASSPORT'")]
    [InlineData("privacy:\n  classes: {EMAIL: secret}\n", "must map to public, internal, confidential or restricted")]
    [InlineData("privacy:\n  on_restricted: drop\n", "must be refuse or redact")]
    [InlineData("privacy:\n  patterns:\n    - name: X\n      regex: 'a'\n      keywords: [b]\n", "exactly one of regex or keywords")]
    [InlineData("privacy:\n  patterns:\n    - name: X\n      regex: '(unclosed'\n", "not a valid regular expression")]
    [InlineData("privacy:\n  patterns:\n    - name: lower\n      keywords: [b]\n", "upper-case letters")]
    [InlineData("privacy:\n  unknown: 1\n", "unknown")]
    public void Load_BadPrivacySection_ClearError(string privacy, string expected)
    {
        var (_, errors) = Load(privacy);

        Assert.Contains(errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_HeaderRaisesButNeverLowersTheDetectedClass()
    {
        var caller = new Caller { KeyName = "k", KeyId = "0123456789ab" };
        var inspector = new Inspector();
        var card = Chat("card 4111 1111 1111 1111");

        var lowered = inspector.Inspect(card, caller, DataClass.Public);
        var plain = inspector.Inspect(Chat("hello there"), caller, DataClass.Confidential);

        Assert.Equal((DataClass.Restricted, "detected CREDIT_CARD"), (lowered.DataClass, lowered.DataClassReason));
        Assert.Equal((DataClass.Confidential, "x-switchyard-data-class header"), (plain.DataClass, plain.DataClassReason));
    }

    [Fact]
    public void Inspect_RandomPromptsWithAValidCard_AlwaysRestricted()
    {
        var random = new Random(11);
        var words = new[] { "please", "refund", "order", "the", "card", "number", "is", "thanks", "for", "help", "Monday", "total", "12", "EUR" };
        var caller = new Caller { KeyName = "k", KeyId = "0123456789ab" };
        var inspector = new Inspector();
        for (var i = 0; i < 2000; i++)
        {
            var digits = new int[16];
            for (var d = 0; d < 15; d++)
            {
                digits[d] = random.Next(10);
            }

            digits[0] = 4;
            digits[15] = LuhnCheckDigit(digits.AsSpan(0, 15));
            var number = string.Concat(digits);
            if (random.Next(2) == 0)
            {
                number = $"{number[..4]} {number[4..8]} {number[8..12]} {number[12..]}";
            }

            var before = string.Join(' ', Enumerable.Range(0, random.Next(0, 8)).Select(_ => words[random.Next(words.Length)]));
            var after = string.Join(' ', Enumerable.Range(0, random.Next(0, 8)).Select(_ => words[random.Next(words.Length)]));

            var inspection = inspector.Inspect(Chat($"{before} {number}. {after}"), caller, null);

            Assert.True(inspection.DataClass == DataClass.Restricted, $"{before} {number}. {after}");
            Assert.Contains("CREDIT_CARD", inspection.Privacy.EntityTypes);
        }
    }

    private static int LuhnCheckDigit(ReadOnlySpan<int> payload)
    {
        var sum = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var d = payload[payload.Length - 1 - i];
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (10 - (sum % 10)) % 10;
    }
}
