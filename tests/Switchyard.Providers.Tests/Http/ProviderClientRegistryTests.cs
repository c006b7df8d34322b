using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Azure;
using Switchyard.Providers.Http;
using Switchyard.Providers.OpenAI;
using Xunit;

namespace Switchyard.Providers.Tests.Http;

public sealed class ProviderClientRegistryTests
{
    private static ProviderSettings OpenAI(string url, int maxConnections = 256) =>
        new(new ProviderConfig { Name = "p", Type = "openai", BaseUrl = new Uri(url), MaxConnections = maxConnections }, new Secret("sk-test"));

    [Fact]
    public void Adapters_SameConnectionSettings_ShareOneHandlerUntilTheLastIsDisposed()
    {
        var registry = new ProviderClientRegistry();
        var first = new OpenAIAdapter(OpenAI("http://127.0.0.1:9/v1"), TimeProvider.System, registry);
        var second = new OpenAIAdapter(OpenAI("http://127.0.0.1:9/other/v1"), TimeProvider.System, registry);

        Assert.Equal(first.ConnectionKey, second.ConnectionKey);
        Assert.Equal(1, registry.HandlerCount);
        first.Dispose();
        Assert.Equal(1, registry.HandlerCount);
        second.Dispose();
        Assert.Equal(0, registry.HandlerCount);
    }

    [Fact]
    public void Adapters_DifferentConnectionSettings_GetTheirOwnHandlers()
    {
        var registry = new ProviderClientRegistry();
        using var first = new OpenAIAdapter(OpenAI("http://127.0.0.1:9/v1"), TimeProvider.System, registry);
        using var otherPort = new OpenAIAdapter(OpenAI("http://127.0.0.1:10/v1"), TimeProvider.System, registry);
        using var otherCap = new OpenAIAdapter(OpenAI("http://127.0.0.1:9/v1", maxConnections: 8), TimeProvider.System, registry);

        Assert.Equal(3, registry.HandlerCount);
    }

    [Fact]
    public void Lease_HeldByACallAfterItsAdapterIsRetired_KeepsTheHandlerUntilReleased()
    {
        var registry = new ProviderClientRegistry();
        var key = ConnectionKey.Of(OpenAI("http://127.0.0.1:9/v1").Config);
        var snapshot = registry.Connection(key);
        var call = registry.Reacquire(snapshot, ProviderClientRegistry.CreateConnection(key));
        Assert.Same(snapshot.Value, call.Value);

        snapshot.Dispose();
        snapshot.Dispose();
        Assert.Equal(1, registry.HandlerCount);

        // A late call on the retired snapshot still gets a live handler: the one the call holds.
        using (var late = registry.Reacquire(snapshot, ProviderClientRegistry.CreateConnection(key)))
        {
            Assert.Same(call.Value, late.Value);
        }

        call.Dispose();
        Assert.Equal(0, registry.HandlerCount);

        // Once all are gone, a late call gets a fresh handler, disposed when it ends.
        using (var fresh = registry.Reacquire(snapshot, ProviderClientRegistry.CreateConnection(key)))
        {
            Assert.NotSame(call.Value, fresh.Value);
            Assert.Equal(1, registry.HandlerCount);
        }

        Assert.Equal(0, registry.HandlerCount);
    }

    [Fact]
    public void EntraToken_UnchangedCredentialsAcrossReload_IsKept_ChangedSecret_IsNew()
    {
        var registry = new ProviderClientRegistry();
        var secret = "first-secret";
        ProviderSettings Settings() => new(
            new ProviderConfig
            {
                Name = "azure",
                Type = "azure-openai",
                BaseUrl = new Uri("https://example.openai.azure.com"),
                Auth = new CloudAuthConfig { Type = "client-secret", TenantId = "tenant", ClientId = "client", ClientSecretEnv = "AZ_SECRET" },
            },
            null)
        { Environment = name => name == "AZ_SECRET" ? secret : null };

        var before = new AzureOpenAIAdapter(Settings(), TimeProvider.System, clients: registry);
        var reloaded = new AzureOpenAIAdapter(Settings(), TimeProvider.System, clients: registry);
        before.Dispose();
        Assert.Same(before.Entra, reloaded.Entra);
        Assert.Equal(1, registry.CredentialCount);

        secret = "rotated-secret";
        using var rotated = new AzureOpenAIAdapter(Settings(), TimeProvider.System, clients: registry);
        Assert.NotSame(reloaded.Entra, rotated.Entra);
        reloaded.Dispose();
        Assert.Equal(1, registry.CredentialCount);
    }
}
