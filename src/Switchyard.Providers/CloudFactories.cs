using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Azure;
using Switchyard.Providers.Bedrock;
using Switchyard.Providers.Vertex;

namespace Switchyard.Providers;

/// <summary>The adapter factories of the cloud providers, for the offline commands that compile a configuration without the host.</summary>
public static class CloudFactories
{
    public static IProviderAdapterFactory[] All(TimeProvider time) =>
        [new AzureOpenAIAdapterFactory(time), new BedrockAdapterFactory(time), new VertexGeminiAdapterFactory(time), new VertexAnthropicAdapterFactory(time)];
}
