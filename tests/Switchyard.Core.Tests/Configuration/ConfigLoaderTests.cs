using Switchyard.Core.Snapshot;
using Xunit;

namespace Switchyard.Core.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string Valid = """
        server:
          drain_timeout: 45s
          ledger_flush_interval: 250ms
        providers:
          sim:
            type: simulated
          openai:
            type: openai
            base_url: https://api.openai.com/v1
            api_key_env: OPENAI_API_KEY
            timeout: 2m
            zone: private
        deployments:
          - id: sim-llama
            provider: sim
            model: llama
            simulate:
              time_to_first_token: 1.5s
              error_rate: 0.25
          - id: oai-mini
            provider: openai
            model: gpt-4o-mini
            weight: 3
        models:
          llama:
            capabilities: [streaming, tools]
            price: {input: 0.1, output: 0.2}
          gpt-4o-mini: {}
        aliases:
          auto:
            targets:
              - model: llama
                weight: 1
              - model: gpt-4o-mini
                weight: 0
        keys:
          - name: dev
            key: dev-key-12345
            allowed_models: ["*"]
        """;

    private static IReadOnlyList<ConfigError> Errors(string yaml) => ConfigLoader.Load(yaml, "gw.yaml").Errors;

    [Fact]
    public void Load_ValidFile_ReadsEverySectionAndDuration()
    {
        var (config, errors) = ConfigLoader.Load(Valid, "gw.yaml");

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Server.DrainTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.Server.LedgerFlushInterval);
        Assert.Equal(TrustZone.SelfHosted, config.Providers.Single(p => p.Name == "sim").Zone);
        var openai = config.Providers.Single(p => p.Name == "openai");
        Assert.Equal(TimeSpan.FromMinutes(2), openai.RequestTimeout);
        Assert.Equal(TrustZone.Private, openai.Zone);
        Assert.Equal("OPENAI_API_KEY", openai.ApiKeyEnv);
        Assert.Equal(TimeSpan.FromSeconds(1.5), config.Deployments[0].Simulate!.TimeToFirstToken);
        Assert.Equal(0.25, config.Deployments[0].Simulate!.ErrorRate);
        Assert.Equal(3, config.Deployments[1].Weight);
        Assert.Equal(["streaming", "tools"], config.Models.Single(m => m.Name == "llama").Capabilities);
        Assert.Equal(new PriceOverride(0.1m, 0.2m, null, null), config.Models.Single(m => m.Name == "llama").Price);
        Assert.Equal([new AliasTarget("llama", 1), new AliasTarget("gpt-4o-mini", 0)], config.Aliases.Single().Targets);
        Assert.Equal("dev-key-12345", config.Keys.Single().Key);
    }

    [Fact]
    public void Load_JsonSyntax_Accepted()
    {
        const string Json = """
            {"providers": {"sim": {"type": "simulated"}},
             "deployments": [{"id": "d", "provider": "sim", "model": "m"}],
             "models": {"m": {"capabilities": ["embeddings"]}},
             "keys": [{"name": "k", "key_sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}
            """;

        var (config, errors) = ConfigLoader.Load(Json, "gw.json");

        Assert.Empty(errors);
        Assert.Equal("d", config.Deployments.Single().Id);
        Assert.Equal(["embeddings"], config.Models.Single().Capabilities);
    }

    [Fact]
    public void Load_UnknownKey_ErrorWithLineColumnAndPath()
    {
        var yaml = Valid.Replace("    timeout: 2m\n", "    timeout: 2m\n    retries: 3\n", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("gw.yaml", error.File);
        Assert.Equal("providers.openai.retries", error.Path);
        Assert.Equal(12, error.Line);
        Assert.Equal(5, error.Column);
        Assert.StartsWith("gw.yaml:12:5: providers.openai.retries:", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("drain_timeout: 45s", "drain_timeout: soon", "server.drain_timeout")]
    [InlineData("drain_timeout: 45s", "drain_timeout: 11m", "server.drain_timeout")]
    [InlineData("ledger_flush_interval: 250ms", "ledger_flush_interval: 1ms", "server.ledger_flush_interval")]
    [InlineData("error_rate: 0.25", "error_rate: 2", "deployments[0].simulate.error_rate")]
    [InlineData("zone: private", "zone: moon", "providers.openai.zone")]
    [InlineData("base_url: https://api.openai.com/v1", "base_url: ftp://x", "providers.openai.base_url")]
    [InlineData("capabilities: [streaming, tools]", "capabilities: [streaming, telepathy]", "models.llama.capabilities")]
    [InlineData("provider: sim", "provider: nobody", "deployments[0].provider")]
    [InlineData("model: gpt-4o-mini\n    weight: 3", "model: ghost\n    weight: 3", "deployments[1].model")]
    [InlineData("key: dev-key-12345", "key: short", "keys[0].key")]
    public void Load_BadValue_ErrorAtItsPath(string from, string to, string path)
    {
        var errors = Errors(Valid.Replace(from, to, StringComparison.Ordinal));

        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Load_BadDuration_LocatedOnItsLine()
    {
        var errors = Errors(Valid.Replace("drain_timeout: 45s", "drain_timeout: soon", StringComparison.Ordinal));

        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.True(error.Column > 1);
    }

    [Fact]
    public void Load_ApiKeyInFile_Refused()
    {
        var yaml = Valid.Replace("api_key_env: OPENAI_API_KEY", "api_key: sk-" + "live-test-0000", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml), e => e.Path == "providers.openai.api_key");

        Assert.Contains("api_key_env", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-" + "live-test-0000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    key: dev-key-12345\n")]
    [InlineData("    key: dev-key-12345\n    key_env: DEV_KEY\n")]
    [InlineData("    key: dev-key-12345\n    key_sha256: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n")]
    public void Load_KeySourcesNotExactlyOne_Error(string sources)
    {
        var yaml = Valid.Replace("    key: dev-key-12345\n", sources == "    key: dev-key-12345\n" ? "" : sources, StringComparison.Ordinal);

        Assert.Contains(Errors(yaml), e => e.Path == "keys[0]" && e.Message.Contains("exactly one", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_KnownCapabilities_AllAccepted()
    {
        var yaml = Valid.Replace("capabilities: [streaming, tools]", "capabilities: [" + string.Join(", ", ConfigLoader.KnownCapabilities) + "]", StringComparison.Ordinal);

        Assert.Empty(Errors(yaml));
    }

    [Fact]
    public void Load_SyntaxError_LocatedAndNothingElse()
    {
        var error = Assert.Single(Errors("providers:\n  sim: {type: simulated\n"));

        Assert.Equal("(syntax)", error.Path);
        Assert.True(error.Line >= 2);
    }

    [Fact]
    public void Load_SeveralErrors_AllReported()
    {
        var yaml = Valid
            .Replace("drain_timeout: 45s", "drain_timeout: soon", StringComparison.Ordinal)
            .Replace("zone: private", "zone: moon", StringComparison.Ordinal)
            .Replace("provider: sim", "provider: nobody", StringComparison.Ordinal);

        Assert.Equal(["deployments[0].provider", "providers.openai.zone", "server.drain_timeout"], Errors(yaml).Select(e => e.Path).Order());
    }
}
