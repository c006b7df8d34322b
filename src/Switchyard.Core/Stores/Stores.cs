namespace Switchyard.Core.Stores;

/// <summary>One budget counter a reservation must fit in.</summary>
/// <param name="Counter">Counter id: scope and period instance, e.g. <c>team:t_1|d:2026-11-21</c>.</param>
/// <param name="LimitNanoUsd">The limit, in nano-dollars.</param>
/// <param name="Label">Human name for the refusal.</param>
public sealed record BudgetCharge(string Counter, long LimitNanoUsd, string Label);

/// <summary>A reservation held against budget counters until settled or released.</summary>
public sealed record BudgetReservation(string Id, long AmountNanoUsd, IReadOnlyList<string> Counters);

/// <summary>Why a reservation did not fit: the first budget that was full.</summary>
public sealed record BudgetRefusal(string Label, long LimitNanoUsd, long SpentNanoUsd, long ReservedNanoUsd, long RequestedNanoUsd);

/// <summary>State of one counter (for reports and <c>show</c>).</summary>
public sealed record BudgetCounterState(string Counter, long SpentNanoUsd, long ReservedNanoUsd);

/// <summary>
/// Budget counters with atomic reserve-then-settle. A reservation fits only if, for every counter,
/// spent + reserved + amount ≤ limit, checked and applied atomically (SQLite: in-process under one lock;
/// PostgreSQL: conditional UPDATEs in one transaction). Settling moves the reservation to spent at the real cost.
/// </summary>
public interface IBudgetStore
{
    Task<(BudgetReservation? Reservation, BudgetRefusal? Refusal)> TryReserveAsync(IReadOnlyList<BudgetCharge> charges, long amountNanoUsd, CancellationToken cancellationToken);

    /// <summary>Replaces the reservation by the real cost (which may be lower or higher).</summary>
    Task SettleAsync(BudgetReservation reservation, long actualNanoUsd, CancellationToken cancellationToken);

    /// <summary>Drops the reservation without spending (the call failed before it cost anything).</summary>
    Task ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken);

    /// <summary>Counters whose id starts with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<BudgetCounterState>> ReadCountersAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Releases reservations older than <paramref name="olderThan"/> (left by a replica that crashed); returns how many.</summary>
    Task<int> ReleaseAbandonedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}

/// <summary>One replica's rate counters of one scope for one window.</summary>
/// <param name="Scope">Counter scope (<c>key:…</c>, <c>team:…</c>, <c>deployment:…</c>).</param>
/// <param name="WindowStartUnixSeconds">Start of the one-minute window.</param>
/// <param name="Requests">Requests admitted in the window.</param>
/// <param name="Tokens">Tokens counted in the window.</param>
/// <param name="InFlight">Requests in flight now.</param>
public readonly record struct RateCounter(string Scope, long WindowStartUnixSeconds, long Requests, long Tokens, long InFlight);

/// <summary>
/// Reconciliation of per-replica rate counters through a shared store: each replica publishes its own counters
/// and reads the sum of everyone else's. The embedded store has one replica, so it has none.
/// </summary>
public interface IRateLimitSync
{
    /// <summary>Publishes this replica's counters; returns the other replicas' sums per scope and how many replicas are live.</summary>
    Task<(IReadOnlyList<RateCounter> Others, int LiveReplicas)> ExchangeAsync(string replicaId, IReadOnlyList<RateCounter> mine, DateTimeOffset now, CancellationToken cancellationToken);
}
