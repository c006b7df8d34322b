using Switchyard.Core.Accounts;
namespace Switchyard.Admin;

/// <summary>
/// Writes the tamper-evident audit log: console sign-ins and sign-outs, account changes, key, team, organisation and
/// policy changes, the privacy review. A failure to write is logged and does not undo the change it records.
/// </summary>
internal sealed partial class AuditLog
{
    private readonly IConsoleStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;

    public AuditLog(IConsoleStore store, TimeProvider time, ILogger<AuditLog> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public IConsoleStore Store => _store;

    public async Task WriteAsync(string actor, string action, string subject, string detail, CancellationToken cancellationToken)
    {
        try
        {
            await _store.AppendAuditAsync(_time.GetUtcNow(), Clip(actor), action, Clip(subject), Clip(detail), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.Failed(_logger, action, ex.GetType().Name, ex.Message);
        }
    }

    private static string Clip(string text) => text.Length <= 512 ? text : text[..512];

    private static partial class Log
    {
        [LoggerMessage(Telemetry.EventIds.AuditWriteFailed, LogLevel.Error, "Writing the audit entry {Action} failed ({ErrorType}: {Error}).")]
        public static partial void Failed(ILogger logger, string action, string errorType, string error);
    }
}
