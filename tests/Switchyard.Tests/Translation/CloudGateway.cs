using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Providers.Azure;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Translation;

/// <summary>The real gateway in front of every cloud fake (<see cref="CloudTestConfig"/>), new for each test.</summary>
public abstract class CloudGateway : IAsyncLifetime
{
    private string _directory = "";

    protected FakeBedrockUpstream Bedrock { get; private set; } = null!;

    protected FakeVertexUpstream Vertex { get; private set; } = null!;

    protected FakeAzureOpenAIUpstream Azure { get; private set; } = null!;

    protected FakeEntra Entra { get; private set; } = null!;

    protected SwitchyardAppFactory App { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Bedrock = await FakeBedrockUpstream.StartAsync();
        Vertex = await FakeVertexUpstream.StartAsync();
        Entra = await FakeEntra.StartAsync();
        Azure = await FakeAzureOpenAIUpstream.StartAsync(Entra);
        _directory = Directory.CreateTempSubdirectory("switchyard-cloud-").FullName;
        var tokenFile = Path.Combine(_directory, "web-identity-token");
        await File.WriteAllTextAsync(tokenFile, FakeBedrockUpstream.WebIdentityToken, Ct);
        var azureTokenFile = Path.Combine(_directory, "azure-federated-token");
        await File.WriteAllTextAsync(azureTokenFile, FakeEntra.FederatedToken, Ct);
        App = await SwitchyardAppFactory.StartAsync(CloudTestConfig.Yaml(Bedrock, Vertex, Azure, Entra, tokenFile, azureTokenFile), CloudTestConfig.Environment(Vertex),
            services => services.AddSingleton(new EntraTransport(Entra.TrustingHandler)));
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Bedrock.DisposeAsync();
        await Vertex.DisposeAsync();
        await Azure.DisposeAsync();
        await Entra.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    protected HttpClient AnthropicClient()
    {
        var client = App.CreateClient(key: null);
        client.DefaultRequestHeaders.Add("x-api-key", SwitchyardAppFactory.TestKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    protected static List<(string Name, string Data)> SseEvents(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            var lines = e.Split('\n');
            return lines.Length == 2 ? (lines[0]["event: ".Length..], lines[1]["data: ".Length..]) : ("", lines[0]["data: ".Length..]);
        })];

    /// <summary>Every fake verified every request it was sent (signature or token), and refused none.</summary>
    protected void AssertAllCredentialsVerified()
    {
        Assert.True(Bedrock.Refused == 0, string.Join("; ", Bedrock.RefusalReasons));
        Assert.True(Vertex.Refused == 0 && Vertex.RefusalReasons.IsEmpty, string.Join("; ", Vertex.RefusalReasons));
        Assert.True(Azure.Refused == 0, string.Join("; ", Azure.RefusalReasons));
        Assert.True(Entra.RefusalReasons.IsEmpty, string.Join("; ", Entra.RefusalReasons));
    }
}
