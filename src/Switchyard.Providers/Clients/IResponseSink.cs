using System.IO.Pipelines;
namespace Switchyard.Providers.Clients;

/// <summary>
/// The response a client format writes to: the host implements it over its HTTP response (so Providers does not
/// reference a web server), tests over a buffer.
/// </summary>
public interface IResponseSink
{
    /// <summary>True once the status and headers were sent: an error can then no longer be written as such.</summary>
    bool HasStarted { get; }

    int StatusCode { set; }

    string? ContentType { set; }

    long? ContentLength { set; }

    void SetHeader(string name, string value);

    PipeWriter BodyWriter { get; }
}
