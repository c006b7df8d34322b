using System.Globalization;
using Switchyard.Core.Common;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Ledger;
using Switchyard.Telemetry;
namespace Switchyard.Gate;

/// <summary>What one admitted request holds until it ends: its rate-limit counts and its budget reservation.</summary>
internal sealed class AdmissionTicket
{
    public required Caller Caller { get; init; }
    public required DateTimeOffset AdmittedAt { get; init; }
    public required int EstimatedTokens { get; init; }
    public bool RateCounted { get; set; }
    public BudgetReservation? Reservation { get; set; }
    private int _done;

    /// <summary>True the first time only: a ticket is completed exactly once.</summary>
    public bool TryComplete() => Interlocked.Exchange(ref _done, 1) == 0;
}

/// <summary>
/// Rate limits and budgets of stored keys (docs/tenancy.md). Rate limits are checked in memory before the body is
/// routed (per-replica counters, reconciled by <see cref="RateLimitSync"/>); the budget is reserved once the route
/// is known (its price), settled with the real cost when the request ends, released when it cost nothing.
/// Keys without limits or budgets (the configuration file's keys) pay nothing for any of this.
/// </summary>
internal sealed partial class TenantAdmission
{
    private readonly RateLimiter _limiter;
    private readonly IBudgetStore _budgets;
    private readonly TimeProvider _time;
    private readonly ILogger<TenantAdmission> _logger;

    public TenantAdmission(RateLimiter limiter, IBudgetStore budgets, TimeProvider time, ILogger<TenantAdmission> logger)
    {
        _limiter = limiter;
        _budgets = budgets;
        _time = time;
        _logger = logger;
    }

    /// <summary>Counts the request against the caller's rate limits and sets the <c>x-ratelimit-*</c> headers; null ticket when the caller has no limits and no budget.</summary>
    public (AdmissionTicket? Ticket, Problem? Error) Admit(Caller caller, CanonicalRequest request, HttpResponse response)
    {
        var policy = caller.Policy;
        if (policy.RateLimits.Count == 0 && policy.Budgets.Count == 0)
        {
            return (null, null);
        }

        var now = _time.GetUtcNow();
        var estimated = Core.Inspect.Inspector.EstimateInputTokens(request) + (request.MaxOutputTokens ?? 0);
        var ticket = new AdmissionTicket { Caller = caller, AdmittedAt = now, EstimatedTokens = estimated };
        if (policy.RateLimits.Count == 0)
        {
            return (ticket, null);
        }

        var decision = _limiter.TryAcquire(policy.RateLimits, estimated, now);
        if (!decision.Allowed)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
            return (null, new Problem(429, "rate_limit_exceeded",
                $"Rate limit reached for {decision.RefusedLabel}: {decision.RefusedKind}. Retry after {seconds.ToString(CultureInfo.InvariantCulture)} s.")
            { RetryAfter = TimeSpan.FromSeconds(seconds) });
        }

        ticket.RateCounted = true;
        var reset = Math.Max(1, (int)Math.Ceiling(decision.Reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
        var headers = response.Headers;
        if (decision.LimitRequests is { } requests)
        {
            headers["x-ratelimit-limit-requests"] = requests.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-requests"] = decision.RemainingRequests.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-requests"] = reset;
        }

        if (decision.LimitTokens is { } tokens)
        {
            headers["x-ratelimit-limit-tokens"] = tokens.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-tokens"] = decision.RemainingTokens.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-tokens"] = reset;
        }

        return (ticket, null);
    }

    /// <summary>
    /// Reserves the most this request can cost on its plan: estimated input plus the requested (else the model's,
    /// else the configured default) maximum output, at the dearest candidate's price, so a fallback is covered too.
    /// </summary>
    public async ValueTask<Problem?> ReserveAsync(AdmissionTicket? ticket, CanonicalRequest request, int estimatedInputTokens, RoutePlan plan, StorageConfig storage,
        CancellationToken cancellationToken)
    {
        if (ticket is null || ticket.Caller.Policy.Budgets.Count == 0)
        {
            return null;
        }

        var amount = ReservationNanoUsd(request, estimatedInputTokens, plan, DefaultOutputTokens(ticket.Caller, storage));
        var charges = BudgetCounters.ChargesFor(ticket.Caller, _time.GetUtcNow());
        var (reservation, refusal) = await _budgets.TryReserveAsync(charges, amount, cancellationToken);
        if (refusal is not null)
        {
            // Waiting does not help (in-flight reservations settle within seconds; spend does not go down): no retry.
            return new Problem(429, "budget_exceeded",
                $"Budget exceeded: the {refusal.Label} of {Usd(refusal.LimitNanoUsd)} has {Usd(refusal.SpentNanoUsd)} spent and {Usd(refusal.ReservedNanoUsd)} " +
                $"reserved by requests in flight; this request needs up to {Usd(refusal.RequestedNanoUsd)}" +
                (request.MaxOutputTokens is null ? " (a lower max_tokens reserves less)." : "."))
            { ShouldRetry = false };
        }

        ticket.Reservation = reservation;
        return null;
    }

    /// <summary>Output tokens reserved for a request without <c>max_tokens</c> on a model that sets none: the caller's policy, else the storage default.</summary>
    public static int DefaultOutputTokens(Caller caller, StorageConfig storage) => caller.Policy.ReservedOutputTokens ?? storage.DefaultReservedOutputTokens;

    public static long ReservationNanoUsd(CanonicalRequest request, int estimatedInputTokens, RoutePlan plan, int defaultOutputTokens)
    {
        long amount = 0;
        foreach (var candidate in plan.Candidates)
        {
            var model = candidate.Deployment.Model;
            var output = Core.Inspect.Inspector.ReservedOutputTokens(request, model, defaultOutputTokens);
            amount = Math.Max(amount, Money.ToNanoUsd(model.Price.Cost(new Usage(estimatedInputTokens, output))));
        }

        return amount;
    }

    /// <summary>Ends the ticket: releases its rate-limit slot, settles the reservation at the record's cost (released when zero).</summary>
    public async ValueTask CompleteAsync(AdmissionTicket? ticket, LedgerRecord? record)
    {
        if (ticket is null || !ticket.TryComplete())
        {
            return;
        }

        var usage = record?.Usage ?? default;
        if (ticket.RateCounted)
        {
            _limiter.Release(ticket.Caller.Policy.RateLimits, ticket.AdmittedAt, ticket.EstimatedTokens, usage.RateLimitedTokens);
        }

        if (ticket.Reservation is not { } reservation)
        {
            return;
        }

        try
        {
            var cost = record is null ? 0 : Money.ToNanoUsd(record.CostUsd);
            if (cost > 0)
            {
                await _budgets.SettleAsync(reservation, cost, CancellationToken.None);
            }
            else
            {
                await _budgets.ReleaseAsync(reservation, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The ledger still has the cost; an unsettled reservation is released by the abandoned-reservation sweep.
            Log.SettleFailed(_logger, reservation.Id, ex.GetType().Name, ex.Message);
        }
    }

    private static string Usd(long nano) => "$" + Money.FromNanoUsd(nano).ToString("0.######", CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(EventIds.BudgetSettleFailed, LogLevel.Error, "Settling budget reservation {ReservationId} failed ({ErrorType}: {Error}).")]
        public static partial void SettleFailed(ILogger logger, string reservationId, string errorType, string error);
    }
}
