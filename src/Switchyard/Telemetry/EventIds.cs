namespace Switchyard.Telemetry;

/// <summary>Every log event id of the gateway, in one list.</summary>
internal static class EventIds
{
    public const int ConfigLoaded = 1000;
    public const int ConfigWarning = 1001;
    public const int ConfigReloadFailed = 1002;
    public const int ConfigReloaded = 1003;
    public const int SimulatedProvider = 1004;
    public const int UpstreamAttemptFailed = 2000;
    public const int StreamInterrupted = 2001;
    public const int ProbeChangedBreaker = 2100;
    public const int LedgerWriteFailed = 3000;
    public const int LedgerDrained = 3001;
    public const int LedgerLateRecord = 3002;
    public const int LedgerWriterRestarted = 3003;
    public const int LedgerDeferredFailed = 3004;
    public const int TenancyRefreshed = 4000;
    public const int BudgetSettleFailed = 4003;
    public const int ReservationsReleased = 4004;
    public const int LedgerRolledUp = 4005;
    public const int BackgroundTaskFailed = 5000;
    public const int AdminApiDisabled = 5001;
    public const int ConfigFileMissing = 1005;
    public const int RetentionFailed = 4006;
    public const int AuditWriteFailed = 5002;
    public const int ConsoleSignIn = 5003;
    public const int Unhandled = 9000;
}
