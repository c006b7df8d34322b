using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>
/// Turns ledger records into the rows of the aggregate tables: the stores call it on every batch they insert and
/// write its rows in the same transaction (so an aggregate never counts a record the ledger lacks, nor misses one).
/// All buckets are UTC: an hour or a day from its first millisecond.
/// </summary>
public sealed class LedgerAggregator
{
    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;

    public Dictionary<AggregateKey, AggregateMeasures> Hourly { get; } = [];

    public Dictionary<AggregateKey, AggregateMeasures> Daily { get; } = [];

    public Dictionary<AggregateEventKey, AggregateEventMeasures> Events { get; } = [];

    public bool IsEmpty => Hourly.Count == 0;

    public static long HourOf(long unixMs) => unixMs - Mod(unixMs, HourMs);

    public static long DayOf(long unixMs) => unixMs - Mod(unixMs, DayMs);

    /// <summary>The hourly row a record is counted in (its dimension values, as the request list's filters see them too).</summary>
    public static AggregateKey KeyOf(LedgerRecord record) => KeyOf(record, ExcludedCandidates.Parse(record?.RouteExcluded));

    private static AggregateKey KeyOf(LedgerRecord record, IReadOnlyList<ExcludedCandidate> excluded)
    {
        ArgumentNullException.ThrowIfNull(record);
        var action = PrivacyAction.Of(record, excluded.Any(e => e.Kind == "trust_zone"));
        var outcome = OutcomeClass.Of(record.Outcome, record.HttpStatus, record.ErrorClass);
        return new AggregateKey(HourOf(record.Timestamp.ToUnixTimeMilliseconds()), record.Org ?? "", record.Team ?? "", record.KeyId, record.KeyName,
            record.RequestedModel, record.ServedModel ?? "", record.DeploymentId ?? "", record.Provider ?? "", record.DataClass ?? "", record.TrustZone ?? "",
            outcome, record.RouteObjective ?? "", record.TaskCategory ?? "", action);
    }

    /// <summary>Adds one record to every table's rows.</summary>
    public void Add(LedgerRecord record) => Add(record, 1);

    /// <summary>
    /// Takes back a record counted by <see cref="Add(LedgerRecord)"/> that the store did not insert after all (its id was
    /// stored already): every sum is reduced by it; an event's latest time stays, which is the same record's time anyway.
    /// </summary>
    public void Subtract(LedgerRecord record) => Add(record, -1);

    private void Add(LedgerRecord record, int sign)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ts = record.Timestamp.ToUnixTimeMilliseconds();
        var excluded = ExcludedCandidates.Parse(record.RouteExcluded);
        var key = KeyOf(record, excluded);
        var action = key.PrivacyAction;
        var measures = Measures(record);
        if (sign < 0)
        {
            measures.Negate();
        }

        Accumulate(Hourly, key, measures);
        Accumulate(Daily, key with { BucketMs = DayOf(ts) }, measures);

        var hour = key.BucketMs;
        var team = key.Team;
        var model = record.RequestedModel;
        var dataClass = key.DataClass;
        foreach (var e in excluded)
        {
            AddEvent(new AggregateEventKey(hour, AggregateEventKind.Exclusion, e.Deployment, e.Kind, team, model, dataClass), 0, ts, sign);
        }

        if (record.PiiTypes is { Length: > 0 } types)
        {
            foreach (var type in types.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                AddEvent(new AggregateEventKey(hour, AggregateEventKind.Detection, type, action, team, model, dataClass), 0, ts, sign);
            }
        }

        foreach (var attempt in record.Attempts)
        {
            AddEvent(new AggregateEventKey(hour, AggregateEventKind.Attempt, attempt.DeploymentId, AttemptStatus(attempt.Status), team, model, dataClass),
                attempt.DurationMs, ts, sign);
        }
    }

    /// <summary>How an attempt ended, without the refusal detail (<c>Refused:TrustZone</c> → <c>Refused</c>).</summary>
    public static string AttemptStatus(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var colon = status.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? status : status[..colon];
    }

    /// <summary>Whether an attempt reached the upstream (refused and skipped ones did not).</summary>
    public static bool WasSent(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return !attempt.Status.StartsWith("Refused", StringComparison.Ordinal) && !attempt.Status.StartsWith("Skipped", StringComparison.Ordinal);
    }

    /// <summary>
    /// Time to first token of a streamed request that was served: the upstream attempts' waits until the first event
    /// (failed ones included) plus the gateway's own time, at most the request's total; null otherwise.
    /// </summary>
    public static double? TimeToFirstTokenMs(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Streamed || record.DeploymentId is null || record.Outcome is LedgerOutcome.Rejected or LedgerOutcome.UpstreamFailed)
        {
            return null;
        }

        var waited = record.Attempts.Sum(a => a.DurationMs);
        return Math.Min(record.TotalMs, waited + record.OverheadMs);
    }

    private static AggregateMeasures Measures(LedgerRecord r)
    {
        var m = new AggregateMeasures();
        var l = m.Longs;
        var d = m.Doubles;
        var sent = 0;
        double waited = 0;
        foreach (var a in r.Attempts)
        {
            if (WasSent(a))
            {
                sent++;
                waited += a.DurationMs;
            }
        }

        l[AggregateMeasures.Requests] = 1;
        l[AggregateMeasures.InputTokens] = r.Usage.InputTokens;
        l[AggregateMeasures.OutputTokens] = r.Usage.OutputTokens;
        l[AggregateMeasures.CachedTokens] = r.Usage.CachedInputTokens;
        l[AggregateMeasures.CacheWriteTokens] = r.Usage.CacheWriteTokens;
        var cost = Money.ToNanoUsd(r.CostUsd);
        l[AggregateMeasures.CostNanoUsd] = cost;
        l[AggregateMeasures.BaselineNanoUsd] = r.BaselineCostUsd is { } baseline ? Money.ToNanoUsd(baseline) : cost;
        l[AggregateMeasures.NoBaseline] = r.BaselineCostUsd is null ? 1 : 0;
        l[AggregateMeasures.Attempts] = sent;
        l[AggregateMeasures.FallbackRequests] = sent > 1 ? 1 : 0;
        l[AggregateMeasures.Streamed] = r.Streamed ? 1 : 0;
        if (r.FallbackExtraCostUsd is { } extra)
        {
            l[AggregateMeasures.FallbackServed] = 1;
            l[AggregateMeasures.FallbackExtraNanoUsd] = Money.ToNanoUsd(extra);
        }

        d[AggregateMeasures.TotalMs] = r.TotalMs;
        d[AggregateMeasures.OverheadMs] = r.OverheadMs;
        d[AggregateMeasures.UpstreamMs] = r.UpstreamMs;
        m.AddLatency(r.TotalMs);
        if (TimeToFirstTokenMs(r) is { } ttft)
        {
            l[AggregateMeasures.TtftCount] = 1;
            d[AggregateMeasures.TtftMs] = ttft;
            m.AddTtft(ttft);
        }

        if (r.Outcome == LedgerOutcome.Success && r.Usage.OutputTokens > 0 && r.Attempts.Count > 0)
        {
            // Generation rate: output tokens per second after the first event of a stream, over the whole wait otherwise.
            var generation = r.Streamed ? Math.Max(0, r.UpstreamMs - waited) : r.Attempts[^1].DurationMs;
            if (generation > 0)
            {
                l[AggregateMeasures.GenTokens] = r.Usage.OutputTokens;
                d[AggregateMeasures.GenMs] = generation;
            }
        }

        return m;
    }

    private static void Accumulate(Dictionary<AggregateKey, AggregateMeasures> rows, AggregateKey key, AggregateMeasures measures)
    {
        if (rows.TryGetValue(key, out var existing))
        {
            existing.Add(measures);
        }
        else
        {
            var copy = new AggregateMeasures();
            copy.Add(measures);
            rows[key] = copy;
        }
    }

    private void AddEvent(AggregateEventKey key, double ms, long ts, int sign)
    {
        if (!Events.TryGetValue(key, out var measures))
        {
            Events[key] = measures = new AggregateEventMeasures();
        }

        measures.Count += sign;
        measures.SumMs += sign * ms;
        measures.LastMs = Math.Max(measures.LastMs, ts);
    }

    private static long Mod(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
