using System.IO.Pipelines;
using Switchyard.Core.Chain;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Gate;
using Switchyard.Providers.Clients;
namespace Switchyard.Pipeline;

/// <summary>
/// The host's exchange: Core's <see cref="Exchange"/> plus what only the host holds for one request: the HTTP
/// context, the client format chosen by the endpoint, the route table the request runs on (taken once, so a reload
/// mid-request changes nothing), the pooled body, the admission ticket and the redaction's restorer. It is also the
/// response the client format writes to (<see cref="IResponseSink"/>), so a request allocates no sink of its own.
/// </summary>
internal sealed class HttpExchange(string requestId, long startTimestamp, IClientFormat format, Operation operation, HttpContext context, RouteTable table)
    : Exchange(requestId, startTimestamp, format.Format, operation), IResponseSink
{
    public HttpContext Context { get; } = context;

    public HttpResponse Response => Context.Response;

    /// <summary>Set when the client goes away.</summary>
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The client format: how the body is parsed and how errors, bodies and streams are written back.</summary>
    public IClientFormat Format { get; } = format;

    public RouteTable Table { get; } = table;

    /// <summary>Ingress: the body, in a pooled buffer returned when the request ends.</summary>
    public RequestBody? Body { get; set; }

    /// <summary>Gate: the rate-limit counts and budget reservation held until the request ends; null for keys without limits.</summary>
    public AdmissionTicket? Ticket { get; set; }

    /// <summary>Route (redaction): puts the redacted values back into the reply; null when nothing was redacted.</summary>
    public ReplyRestorer? Restorer { get; set; }

    bool IResponseSink.HasStarted => Response.HasStarted;

    int IResponseSink.StatusCode { set => Response.StatusCode = value; }

    string? IResponseSink.ContentType { set => Response.ContentType = value; }

    long? IResponseSink.ContentLength { set => Response.ContentLength = value; }

    void IResponseSink.SetHeader(string name, string value) => Response.Headers[name] = value;

    PipeWriter IResponseSink.BodyWriter => Response.BodyWriter;
}
