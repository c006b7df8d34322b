using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>How quickly answers are needed; picks which throughput measurements are realistic.</summary>
public enum LatencyNeed
{
    /// <summary>A person waits for the answer: use throughput measured under a latency bound.</summary>
    Interactive,

    /// <summary>Offline jobs: peak (unbounded-latency) throughput is acceptable.</summary>
    Batch,
}

/// <summary>Whether an API option is a proprietary model or an open model sold per token by a host.</summary>
public enum ApiKind
{
    /// <summary>A proprietary model served by its owner.</summary>
    Api,

    /// <summary>An open-weights model sold per token by a host.</summary>
    HostedOpen,
}

/// <summary>
/// The traffic to plan for. <see cref="Source"/> says where the figures came from (flags, a file, or later a
/// ledger time window), so a ledger-derived workload plugs in by building this record from usage rows.
/// </summary>
/// <param name="TokensPerDay">Input plus output tokens per day.</param>
/// <param name="InputOutputRatio">Input tokens per output token (r in the blending formula).</param>
/// <param name="PeakFactor">Peak rate ÷ average rate; 1 means traffic is flat over the day.</param>
/// <param name="CachedInputFraction">Share of input tokens that are prompt-cache reads (0 to 1).</param>
/// <param name="Latency">Interactive or batch.</param>
/// <param name="Source">Human-readable origin of the figures.</param>
public sealed record Workload(
    decimal TokensPerDay,
    decimal InputOutputRatio,
    decimal PeakFactor,
    decimal CachedInputFraction,
    LatencyNeed Latency,
    string Source);

/// <summary>A model bought per token, with its list prices in USD per million tokens and their provenance.</summary>
public sealed record ApiOption(
    string Name,
    ApiKind Kind,
    decimal InputPerMillion,
    decimal OutputPerMillion,
    decimal? CachedInputPerMillion,
    string PriceSource,
    DateOnly? PriceAsOf);

/// <summary>Running an open model on rented GPUs.</summary>
/// <param name="GpuType">Card, e.g. <c>H100 SXM 80GB</c> (informational).</param>
/// <param name="GpusPerReplica">GPUs that serve one replica.</param>
/// <param name="GpuHourUsd">Rental price per GPU-hour.</param>
/// <param name="ReplicaTokensPerSecond">Total (input + output) tokens per second one replica sustains for this request shape.</param>
/// <param name="TargetUtilization">Share of that throughput planned for at peak (0 to 1].</param>
/// <param name="MinReplicas">Replicas kept running for availability whatever the volume.</param>
/// <param name="StaffUsdPerMonth">People cost per month.</param>
/// <param name="FixedUsdPerMonth">Other fixed cost per month (storage, network, monitoring).</param>
/// <param name="GpuPriceSource">Where the GPU price came from.</param>
/// <param name="GpuPriceAsOf">Date of the GPU price, when known.</param>
/// <param name="ThroughputSource">Where the throughput came from.</param>
public sealed record SelfHostedOption(
    string GpuType,
    int GpusPerReplica,
    decimal GpuHourUsd,
    decimal ReplicaTokensPerSecond,
    decimal TargetUtilization,
    int MinReplicas,
    decimal StaffUsdPerMonth,
    decimal FixedUsdPerMonth,
    string GpuPriceSource,
    DateOnly? GpuPriceAsOf,
    string ThroughputSource);

/// <summary>Everything the calculator needs; already resolved and validated.</summary>
public sealed record PlanInputs(Workload Workload, IReadOnlyList<ApiOption> ApiOptions, SelfHostedOption SelfHosted);
