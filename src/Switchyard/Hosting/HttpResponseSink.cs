using System.IO.Pipelines;
using Switchyard.Providers.Clients;
namespace Switchyard.Hosting;

/// <summary>
/// An HTTP response as a client format's <see cref="IResponseSink"/>, for the host's own surfaces outside the request
/// chain (the model list, token counting, unhandled failures); the chain's exchange is its own sink.
/// </summary>
internal sealed class HttpResponseSink(HttpResponse response) : IResponseSink
{
    public bool HasStarted => response.HasStarted;

    public int StatusCode { set => response.StatusCode = value; }

    public string? ContentType { set => response.ContentType = value; }

    public long? ContentLength { set => response.ContentLength = value; }

    public void SetHeader(string name, string value) => response.Headers[name] = value;

    public PipeWriter BodyWriter => response.BodyWriter;
}
