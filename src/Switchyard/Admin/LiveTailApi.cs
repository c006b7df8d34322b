using System.Text;
using System.Text.Json;

namespace Switchyard.Admin;

/// <summary>
/// <c>GET /admin/api/v1/requests/tail</c>: the live tail as one server-sent-events stream — an <c>event: request</c>
/// with a request row for every record this replica stores that passes the view's filters, and a comment every 15 s
/// to keep proxies from closing it. One stream per page; the page never polls.
/// </summary>
internal static class LiveTailApi
{
    public static async Task StreamAsync(HttpContext context, LiveTail tail, TimeProvider time)
    {
        var (query, errors) = ConsoleQuery.Parse(context.Request.Query, time.GetUtcNow());
        if (query is null)
        {
            await TypedResults.ValidationProblem(errors, title: "Invalid query").ExecuteAsync(context);
            return;
        }

        query = query.ScopedTo(AdminAuth.PrincipalOf(context)!);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var subscription = tail.Subscribe();
        var aborted = context.RequestAborted;
        await context.Response.WriteAsync(": tail open\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                bool more;
                try
                {
                    more = await subscription.Reader.WaitToReadAsync(heartbeat.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", aborted);
                    await context.Response.Body.FlushAsync(aborted);
                    continue;
                }

                if (!more)
                {
                    break;
                }

                var sb = new StringBuilder();
                while (subscription.Reader.TryRead(out var record))
                {
                    // Matching rows only; the query's window is ignored (a tail shows what arrives now).
                    if (LiveTail.Matches(query with { FromMs = 0 }, record))
                    {
                        sb.Append("event: request\ndata: ").Append(JsonSerializer.Serialize(RequestsReader.Row(record), AdminV1Json.Default.RequestRowDto)).Append("\n\n");
                    }
                }

                if (sb.Length > 0)
                {
                    await context.Response.WriteAsync(sb.ToString(), aborted);
                    await context.Response.Body.FlushAsync(aborted);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The viewer left.
        }
    }
}
