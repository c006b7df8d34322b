using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
namespace Switchyard.Testing;

/// <summary>Adapters for tables whose routing is tested without sending anything: calling one is a test failure.</summary>
public sealed class InertAdapterFactory : IProviderAdapterFactory
{
    public string Type => "inert";

    public IProviderAdapter Create(ProviderSettings settings) => new InertAdapter(settings?.Config.Name ?? "inert");

    private sealed class InertAdapter(string name) : IProviderAdapter
    {
        public string ProviderName => name;
        public ApiFormat WireFormat => ApiFormat.OpenAI;
        public bool IsSimulated => false;

        public ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("This test must not send anything upstream.");
    }
}
