using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary>How the deployments of one model share its traffic.</summary>
public enum LoadBalancing
{
    /// <summary>Random by configured weight (the default).</summary>
    Weighted,

    /// <summary>The deployment with the fewest requests in flight first.</summary>
    LeastOutstanding,

    /// <summary>Two weighted random picks; the one with the lower latency EWMA × (in flight + 1) first.</summary>
    PowerOfTwoLatency,
}

/// <summary>The <c>resilience</c> section: defaults, per-deployment policies, the retry budget and load balancing.</summary>
public sealed record ResilienceConfig
{
    public ResiliencePolicy Defaults { get; init; } = new();

    /// <summary>Fully resolved policies (defaults with the deployment's overrides applied), by deployment id.</summary>
    public IReadOnlyDictionary<string, ResiliencePolicy> Deployments { get; init; } = new Dictionary<string, ResiliencePolicy>();

    public RetryBudgetSettings RetryBudget { get; init; } = new();

    public LoadBalancing LoadBalancing { get; init; } = LoadBalancing.Weighted;

    /// <summary>Load balancing chosen per model, by model name.</summary>
    public IReadOnlyDictionary<string, LoadBalancing> Models { get; init; } = new Dictionary<string, LoadBalancing>();

    public ResiliencePolicy PolicyFor(string deploymentId) => Deployments.TryGetValue(deploymentId, out var p) ? p : Defaults;

    public LoadBalancing LoadBalancingFor(string model) => Models.TryGetValue(model, out var lb) ? lb : LoadBalancing;
}

/// <summary>Retries, timeouts, circuit breaker, cool-down, concurrency cap and active probe of one deployment.</summary>
public sealed record ResiliencePolicy
{
    /// <summary>Retries on the same deployment after a transient failure (the first try is not counted).</summary>
    public int MaxRetries { get; init; } = 1;

    /// <summary>First backoff delay; doubles per retry, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest upstream <c>retry-after</c> (or remaining rate-limit cool-down) the gateway waits out itself, only
    /// when no other candidate as cheap remains.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Streams: the longest wait from sending the request to its first event.</summary>
    public TimeSpan FirstTokenTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Non-streamed answers: the longest wait for the whole answer, per attempt.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The breaker opens after this many failures in a row.</summary>
    public int BreakerConsecutiveFailures { get; init; } = 5;

    /// <summary>… or when this share of the attempts in <see cref="BreakerWindow"/> failed (with at least <see cref="BreakerMinimumThroughput"/> attempts).</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    public int BreakerMinimumThroughput { get; init; } = 20;

    public TimeSpan BreakerWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker keeps the deployment out of routing before one probe request is let through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Cool-down after a 429 that carried no <c>retry-after</c>.</summary>
    public TimeSpan RateLimitCooldown { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// While the deployment cools down after a 429 and no candidate as cheap is available, one request per interval (one
    /// at a time) is still sent to it as a probe: a success ends the cool-down, another 429 renews it with its own wait.
    /// Zero: no probes (the whole cool-down is honoured).
    /// </summary>
    public TimeSpan RateLimitProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight at most; a deployment at its cap is skipped (never queued). Null: no cap.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// Requests sent to the deployment in a clock-aligned minute (retries included), counted in the shared rate limiter
    /// (across replicas on PostgreSQL); a deployment over it is skipped like one at its cap, and when none is left the
    /// client gets a 429 with <c>retry-after</c>. Null: no limit.
    /// </summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>
    /// Tokens of the deployment's minute, counted like <see cref="RequestsPerMinute"/>: reserved when an attempt starts
    /// (estimated input + maximum output), settled to the reported usage when it ends, so requests in flight count;
    /// over it the deployment is skipped. Null: no limit.
    /// </summary>
    public long? TokensPerMinute { get; init; }

    /// <summary>Active health probe interval (a cheap request such as <c>GET /models</c>). Null: passive health only.</summary>
    public TimeSpan? ProbeInterval { get; init; }
}

/// <summary>Retries may add at most <see cref="Ratio"/> of the requests seen in <see cref="Window"/> (plus <see cref="MinRetries"/>).</summary>
public sealed record RetryBudgetSettings
{
    public double Ratio { get; init; } = 0.2;

    public int MinRetries { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);
}
