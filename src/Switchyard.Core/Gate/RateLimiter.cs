using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>Which limit of a scope refuses a request.</summary>
public enum RateRefusal
{
    None,
    Concurrent,
    Requests,
    Tokens,
}

/// <summary>The outcome of a rate-limit check, with what the <c>x-ratelimit-*</c> headers report.</summary>
public readonly record struct RateDecision(
    bool Allowed,
    string? RefusedLabel,
    string? RefusedKind,
    TimeSpan RetryAfter,
    int? LimitRequests,
    long RemainingRequests,
    int? LimitTokens,
    long RemainingTokens,
    TimeSpan Reset,
    RateRefusal Refusal = RateRefusal.None);

/// <summary>
/// Requests-per-minute, tokens-per-minute and concurrency counters per scope (key, team, organisation — the tenancy
/// gate — and deployment, <c>deployment:ID</c>, counted per attempt by <c>DeploymentState</c>), in fixed one-minute windows aligned to the clock so that replicas agree on window boundaries.
/// Counters are this replica's; <see cref="ApplyRemote"/> adds the other replicas' sums, learnt by polling the
/// shared store. Between two exchanges a replica admits at most its share (remaining ÷ live replicas) of what
/// was left at the last exchange, less what the others may have admitted since their last report — requests, and
/// tokens as reserved at admission — which bounds the overshoot across replicas (docs/tenancy.md, "Tolerances").
/// </summary>
public sealed class RateLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private int _replicas = 1;

    /// <summary>Replicas seen live at the last exchange (1 when alone or not synchronised).</summary>
    public int LiveReplicas => Volatile.Read(ref _replicas);

    /// <summary>Checks every limit and, if all allow, counts the request (and its estimated tokens) against each.</summary>
    public RateDecision TryAcquire(IReadOnlyList<RateLimit> limits, int estimatedTokens, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var nowSeconds = now.ToUnixTimeSeconds();
        var window = nowSeconds - (nowSeconds % 60);
        var reset = TimeSpan.FromSeconds(window + 60 - nowSeconds);
        lock (_lock)
        {
            var replicas = _replicas;
            for (var i = 0; i < limits.Count; i++)
            {
                var limit = limits[i];
                var refusal = RefusalLocked(limit, StateOf(limit.Scope, window), window, replicas);
                if (refusal != RateRefusal.None)
                {
                    return Refused(limit.Label, refusal, refusal == RateRefusal.Concurrent ? TimeSpan.FromSeconds(1) : reset, reset);
                }
            }

            int? limitRequests = null;
            int? limitTokens = null;
            var remainingRequests = long.MaxValue;
            var remainingTokens = long.MaxValue;
            for (var i = 0; i < limits.Count; i++)
            {
                var limit = limits[i];
                var s = StateOf(limit.Scope, window);
                s.Requests++;
                s.Tokens += estimatedTokens;
                s.RequestShare.SinceSync++;
                s.TokenShare.SinceSync += estimatedTokens;
                if (limit.MaxConcurrent is not null)
                {
                    // In flight is counted where a cap needs it; a deployment counts its own (DeploymentState).
                    s.InFlight++;
                }
                if (limit.RequestsPerMinute is { } rpm && rpm - (s.Requests + s.RemoteRequests(window)) < remainingRequests)
                {
                    remainingRequests = Math.Max(0, rpm - (s.Requests + s.RemoteRequests(window)));
                    limitRequests = rpm;
                }

                if (limit.TokensPerMinute is { } tpm && tpm - (s.Tokens + s.RemoteTokens(window)) < remainingTokens)
                {
                    remainingTokens = Math.Max(0, tpm - (s.Tokens + s.RemoteTokens(window)));
                    limitTokens = tpm;
                }
            }

            return new RateDecision(true, null, null, TimeSpan.Zero, limitRequests, remainingRequests, limitTokens, remainingTokens, reset);
        }
    }

    /// <summary>
    /// What <see cref="TryAcquire"/> would say of <paramref name="limit"/> now, counting nothing: <see cref="RateRefusal.None"/>
    /// when a request would be admitted, else why not, with the wait until it could be (the window's end; 1 s for concurrency).
    /// </summary>
    public RateRefusal Check(RateLimit limit, DateTimeOffset now, out TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var nowSeconds = now.ToUnixTimeSeconds();
        var window = nowSeconds - (nowSeconds % 60);
        lock (_lock)
        {
            var refusal = RefusalLocked(limit, StateOf(limit.Scope, window), window, _replicas);
            wait = refusal switch
            {
                RateRefusal.None => TimeSpan.Zero,
                RateRefusal.Concurrent => TimeSpan.FromSeconds(1),
                _ => TimeSpan.FromSeconds(window + 60 - nowSeconds),
            };
            return refusal;
        }
    }

    /// <summary>This replica's and the others' counts of <paramref name="scope"/> in the current window (what the health endpoint shows).</summary>
    public RateCounter Usage(string scope, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var window = nowSeconds - (nowSeconds % 60);
        lock (_lock)
        {
            if (!_states.TryGetValue(scope, out var s))
            {
                return new RateCounter(scope, window, 0, 0, 0);
            }

            var mine = s.Window == window;
            return new RateCounter(scope, window, (mine ? s.Requests : 0) + s.RemoteRequests(window), (mine ? s.Tokens : 0) + s.RemoteTokens(window),
                s.InFlight + s.RemoteInFlight(window));
        }
    }

    /// <summary>Why a limit refuses one more request now; remembers the limit and, at the scope's first use since an exchange, its share.</summary>
    private static RateRefusal RefusalLocked(RateLimit limit, State s, long window, int replicas)
    {
        if (limit.MaxConcurrent is { } maxConcurrent && s.InFlight + s.RemoteInFlight(window) >= maxConcurrent)
        {
            return RateRefusal.Concurrent;
        }

        if (limit.RequestsPerMinute is { } rpm && s.RequestShare.Refuses(rpm, s.Requests + s.RemoteRequests(window), replicas))
        {
            return RateRefusal.Requests;
        }

        if (limit.TokensPerMinute is { } tpm && s.TokenShare.Refuses(tpm, s.Tokens + s.RemoteTokens(window), replicas))
        {
            return RateRefusal.Tokens;
        }

        return RateRefusal.None;
    }

    private static string KindOf(RateRefusal refusal) => refusal switch
    {
        RateRefusal.Concurrent => "concurrent requests",
        RateRefusal.Requests => "requests per minute",
        _ => "tokens per minute",
    };

    /// <summary>A request counted by <see cref="TryAcquire"/> ended: it leaves the in-flight count (of limits with a concurrency cap) and its token estimate becomes its real usage.</summary>
    public void Release(IReadOnlyList<RateLimit> limits, DateTimeOffset admittedAt, int estimatedTokens, int actualTokens)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var admittedSeconds = admittedAt.ToUnixTimeSeconds();
        var window = admittedSeconds - (admittedSeconds % 60);
        lock (_lock)
        {
            for (var i = 0; i < limits.Count; i++)
            {
                if (!_states.TryGetValue(limits[i].Scope, out var s))
                {
                    continue;
                }

                if (limits[i].MaxConcurrent is not null)
                {
                    s.InFlight = Math.Max(0, s.InFlight - 1);
                }
                if (s.Window == window)
                {
                    s.Tokens = Math.Max(0, s.Tokens + actualTokens - estimatedTokens);
                }
            }
        }
    }

    /// <summary>This replica's counters of the current window, to publish.</summary>
    public IReadOnlyList<RateCounter> Snapshot(DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var window = nowSeconds - (nowSeconds % 60);
        lock (_lock)
        {
            var list = new List<RateCounter>(_states.Count);
            foreach (var (scope, s) in _states)
            {
                if (s.Window == window || s.InFlight > 0)
                {
                    list.Add(s.Window == window
                        ? new RateCounter(scope, window, s.Requests, s.Tokens, s.InFlight)
                        : new RateCounter(scope, window, 0, 0, s.InFlight));
                }
            }

            return list;
        }
    }

    /// <summary>Takes the other replicas' sums from an exchange; starts a new share for every scope.</summary>
    public void ApplyRemote(IReadOnlyList<RateCounter> others, int liveReplicas, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(others);
        var nowSeconds = now.ToUnixTimeSeconds();
        var window = nowSeconds - (nowSeconds % 60);
        lock (_lock)
        {
            _replicas = Math.Max(1, liveReplicas);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var o in others)
            {
                var s = StateOf(o.Scope, window);
                s.Remote = o;
                seen.Add(o.Scope);
            }

            foreach (var (scope, s) in _states)
            {
                if (!seen.Contains(scope))
                {
                    s.Remote = default;
                }

                s.RequestShare.Exchanged(s.Requests + s.RemoteRequests(window), _replicas);
                s.TokenShare.Exchanged(s.Tokens + s.RemoteTokens(window), _replicas);
            }
        }
    }

    private State StateOf(string scope, long window)
    {
        if (!_states.TryGetValue(scope, out var s))
        {
            _states[scope] = s = new State { Window = window };
        }
        else if (s.Window != window)
        {
            // A new minute: this replica's window counters restart; in-flight requests stay in flight.
            s.Window = window;
            s.Requests = 0;
            s.Tokens = 0;
            s.RequestShare.Reset();
            s.TokenShare.Reset();
        }

        return s;
    }

    private static RateDecision Refused(string label, RateRefusal refusal, TimeSpan retryAfter, TimeSpan reset) =>
        new(false, label, KindOf(refusal), retryAfter, null, 0, null, 0, reset, refusal);

    /// <summary>This replica's share of one per-minute limit (requests, or tokens as reserved) between two exchanges.</summary>
    private sealed class Quota
    {
        /// <summary>The limit last seen for the scope.</summary>
        public long Limit;

        /// <summary>What this replica admitted since the last exchange.</summary>
        public long SinceSync;

        /// <summary>What this replica may admit until the next exchange; -1 until known.</summary>
        public long Share = -1;

        /// <summary>Whether one more is refused: the window is full, or (with other replicas) this replica's share is spent.</summary>
        public bool Refuses(long limit, long used, int replicas)
        {
            Limit = limit;
            if (Share < 0)
            {
                // First use of the scope since the last exchange: the others may be starting too.
                Share = Divide(limit - used, 2 * replicas - 1);
            }

            return used >= limit || (replicas > 1 && SinceSync >= Share);
        }

        /// <summary>
        /// A new share after an exchange. The others' counts are one exchange old: assume each has spent its last share
        /// since, so the replicas' shares of what is left never add up to more than what is left.
        /// </summary>
        public void Exchanged(long used, int replicas)
        {
            Share = Limit > 0 ? Divide(Limit - used - ((replicas - 1) * Math.Max(0, Share)), 2 * replicas - 1) : -1;
            SinceSync = 0;
        }

        /// <summary>A new window.</summary>
        public void Reset()
        {
            SinceSync = 0;
            Share = -1;
        }

        private static long Divide(long remaining, int replicas) => remaining <= 0 ? 0 : (remaining + replicas - 1) / replicas;
    }

    private sealed class State
    {
        public long Window;
        public long Requests;
        public long Tokens;
        public long InFlight;
        public readonly Quota RequestShare = new();
        public readonly Quota TokenShare = new();
        public RateCounter Remote;

        public long RemoteRequests(long window) => Remote.WindowStartUnixSeconds == window ? Remote.Requests : 0;

        public long RemoteTokens(long window) => Remote.WindowStartUnixSeconds == window ? Remote.Tokens : 0;

        public long RemoteInFlight(long window) => Remote.Scope is null ? 0 : Remote.InFlight;
    }
}
