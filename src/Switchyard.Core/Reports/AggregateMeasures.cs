using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>The sums of one aggregate row (or of several added together), indexed as <see cref="AggregateSchema"/>'s columns.</summary>
public sealed class AggregateMeasures
{
    public const int Requests = 0;
    public const int InputTokens = 1;
    public const int OutputTokens = 2;
    public const int CachedTokens = 3;
    public const int CacheWriteTokens = 4;
    public const int CostNanoUsd = 5;
    public const int BaselineNanoUsd = 6;
    public const int NoBaseline = 7;
    public const int Attempts = 8;
    public const int FallbackRequests = 9;
    public const int Streamed = 10;
    public const int TtftCount = 11;
    public const int GenTokens = 12;

    /// <summary>Requests a fallback served (the ledger's <c>fallback_extra_cost_nusd</c> is set).</summary>
    public const int FallbackServed = 13;

    /// <summary>What those fallbacks cost more than the first choice would have (nano-USD; <see cref="Ledger.LedgerRecord.FallbackExtraCostUsd"/>).</summary>
    public const int FallbackExtraNanoUsd = 14;

    public const int TotalMs = 0;
    public const int OverheadMs = 1;
    public const int UpstreamMs = 2;
    public const int TtftMs = 3;
    public const int GenMs = 4;

    /// <summary>Integer sums: <see cref="AggregateSchema.LongColumns"/> then the latency and TTFT histograms.</summary>
    public long[] Longs { get; } = new long[AggregateSchema.AllLongColumns.Length];

    /// <summary>Millisecond sums, in <see cref="AggregateSchema.DoubleColumns"/> order.</summary>
    public double[] Doubles { get; } = new double[AggregateSchema.DoubleColumns.Length];

    public long this[int index] => Longs[index];

    /// <summary>The latency histogram (total time of every request).</summary>
    public ReadOnlySpan<long> Latency => Longs.AsSpan(AggregateSchema.LongColumns.Length, LatencyHistogram.Buckets);

    /// <summary>The time-to-first-token histogram (streamed requests that were served).</summary>
    public ReadOnlySpan<long> Ttft => Longs.AsSpan(AggregateSchema.LongColumns.Length + LatencyHistogram.Buckets, LatencyHistogram.Buckets);

    public decimal CostUsd => Common.Money.FromNanoUsd(Longs[CostNanoUsd]);

    public decimal BaselineUsd => Common.Money.FromNanoUsd(Longs[BaselineNanoUsd]);

    public void Add(AggregateMeasures other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Longs.Length; i++)
        {
            Longs[i] += other.Longs[i];
        }

        for (var i = 0; i < Doubles.Length; i++)
        {
            Doubles[i] += other.Doubles[i];
        }
    }

    /// <summary>Flips every sum's sign (to take a row back).</summary>
    internal void Negate()
    {
        for (var i = 0; i < Longs.Length; i++)
        {
            Longs[i] = -Longs[i];
        }

        for (var i = 0; i < Doubles.Length; i++)
        {
            Doubles[i] = -Doubles[i];
        }
    }

    internal void AddLatency(double ms) => Longs[AggregateSchema.LongColumns.Length + LatencyHistogram.BucketOf(ms)]++;

    internal void AddTtft(double ms) => Longs[AggregateSchema.LongColumns.Length + LatencyHistogram.Buckets + LatencyHistogram.BucketOf(ms)]++;
}

/// <summary>The dimension values of one aggregate row, in <see cref="AggregateDimension"/> order (never null: absent is empty).</summary>
public readonly record struct AggregateKey(long BucketMs, string Org, string Team, string KeyId, string KeyName, string RequestedModel,
    string ServedModel, string Deployment, string Provider, string DataClass, string TrustZone, string Outcome, string RouteObjective,
    string TaskCategory, string PrivacyAction)
{
    public string this[AggregateDimension dimension] => dimension switch
    {
        AggregateDimension.Org => Org,
        AggregateDimension.Team => Team,
        AggregateDimension.KeyId => KeyId,
        AggregateDimension.KeyName => KeyName,
        AggregateDimension.RequestedModel => RequestedModel,
        AggregateDimension.ServedModel => ServedModel,
        AggregateDimension.Deployment => Deployment,
        AggregateDimension.Provider => Provider,
        AggregateDimension.DataClass => DataClass,
        AggregateDimension.TrustZone => TrustZone,
        AggregateDimension.Outcome => Outcome,
        AggregateDimension.RouteObjective => RouteObjective,
        AggregateDimension.TaskCategory => TaskCategory,
        _ => PrivacyAction,
    };
}

/// <summary>What an events row counts.</summary>
public static class AggregateEventKind
{
    /// <summary>A deployment left out of a plan: subject = deployment, detail = exclusion kind (<c>trust_zone</c>, <c>circuit_open</c>, …).</summary>
    public const string Exclusion = "exclusion";

    /// <summary>An entity type the privacy scanner found: subject = entity type, detail = the privacy action.</summary>
    public const string Detection = "detection";

    /// <summary>One upstream attempt: subject = deployment, detail = how it ended (<c>Success</c>, <c>RateLimited</c>, …).</summary>
    public const string Attempt = "attempt";
}

/// <summary>One row of the events table: bucket, kind, subject, detail, team, requested model and data class.</summary>
public readonly record struct AggregateEventKey(long BucketMs, string Kind, string Subject, string Detail, string Team, string Model, string DataClass);

/// <summary>The sums of an events row: how many, their milliseconds (attempts' durations) and the latest request time (Unix ms).</summary>
public sealed class AggregateEventMeasures
{
    public long Count { get; set; }

    public double SumMs { get; set; }

    public long LastMs { get; set; }
}
