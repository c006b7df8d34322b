using System.IO.Pipelines;
using System.Text;
using Switchyard.Providers.Clients;

namespace Switchyard.Providers.Tests.Clients;

/// <summary>A response held in memory: what a client format wrote (status, headers, body), read back by the tests.</summary>
internal sealed class BufferSink : IResponseSink
{
    private readonly MemoryStream _body = new();

    public BufferSink() => BodyWriter = PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));

    public bool HasStarted { get; set; }

    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public long? ContentLength { get; set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public PipeWriter BodyWriter { get; }

    public void SetHeader(string name, string value) => Headers[name] = value;

    public async Task<string> BodyAsync()
    {
        await BodyWriter.FlushAsync();
        return Encoding.UTF8.GetString(_body.ToArray());
    }
}
