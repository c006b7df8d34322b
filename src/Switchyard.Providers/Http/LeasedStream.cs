using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;

namespace Switchyard.Providers.Http;

/// <summary>An upstream stream that holds its connection's lease until it is disposed (the relay's end), then releases it.</summary>
internal sealed class LeasedStream(IUpstreamStream inner, IDisposable lease) : IUpstreamStream
{
    public StreamEvent Current => inner.Current;

    public Usage? Usage => inner.Usage;

    public int ContentChars => inner.ContentChars;

    public DispatchStatus? Failure => inner.Failure;

    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await inner.DisposeAsync();
        }
        finally
        {
            lease.Dispose();
        }
    }
}
