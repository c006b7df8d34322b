using System.Runtime.CompilerServices;
using Polly;
using Polly.Retry;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Execute;

/// <summary>
/// The Execute stage: walks the plan's candidates in order and falls back on failures that another
/// deployment could avoid. Per candidate, a Polly pipeline (<see cref="CandidateRetries"/>) retries transient failures
/// with exponential backoff and jitter (honouring <c>retry-after</c>) within the shared <see cref="RetryBudget"/>, when
/// no later candidate is as cheap (cost-aware: the cheap one is retried before a dearer one is paid for); every try first
/// takes a slot from the deployment's <see cref="IDeploymentSlot"/> (breaker, cool-down, concurrency cap), waiting out
/// or probing a cool-down when nothing as cheap is left, and reports its verdict back. Right before each send the hard constraints are checked again (invariant 1, defence in depth).
/// A stream is committed only once its first event has arrived, so a fallback can never happen after a byte
/// reached the client (invariant 4).
/// </summary>
public sealed class Executor
{
    private static readonly RetryBudgetSettings _defaultBudget = new();

    private readonly TimeProvider _time;
    private readonly IDeploymentSlots _slots;
    private readonly RetryBudget _budget;
    private readonly CandidateRetries _retries;

    public Executor(TimeProvider time, IDeploymentSlots slots, RetryBudget budget, IRandomSource random)
    {
        _time = time;
        _slots = slots;
        _budget = budget;
        _retries = new CandidateRetries(time, random);
    }

    /// <summary>The deployments' live state this executor writes.</summary>
    public IDeploymentSlots Slots => _slots;

    public RetryBudget Budget => _budget;

    /// <summary>
    /// Runs the plan. <c>defaultOutputTokens</c>: output tokens reserved against a deployment's <c>tokens_per_minute</c>
    /// for a request that sets no maximum on a model with no known maximum (<c>storage.default_reserved_output_tokens</c>, as budgets reserve).
    /// </summary>
    public async ValueTask<Outcome> ExecuteAsync(CanonicalRequest request, Inspect.Inspection inspection, RoutePlan plan, string requestId,
        RetryBudgetSettings? budget, CancellationToken cancellationToken, int defaultOutputTokens = StorageConfig.DefaultReservedOutputTokensDefault)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(plan);
        budget ??= _defaultBudget;
        _budget.RecordRequest(budget);
        var attempts = new List<AttemptRecord>(plan.Candidates.Count);
        var upstreamTime = TimeSpan.Zero;
        UpstreamResult? last = null;
        UpstreamResult? rateLimited = null;
        RouteCandidate? lastCandidate = null;
        List<RouteExclusion>? skipped = null;
        TimeSpan? shortestCooldown = null;
        for (var i = 0; i < plan.Candidates.Count; i++)
        {
            var candidate = plan.Candidates[i];
            var deployment = candidate.Deployment;
            if (HardConstraints.Check(request, inspection, plan.Caller, deployment) is { } violation)
            {
                // Unreachable unless routing has a bug: the request is never sent there, and the audit shows it.
                attempts.Add(new AttemptRecord(deployment.Id, "Refused:" + violation.Kind, 0, 0));
                (skipped ??= []).Add(violation);
                continue;
            }

            var scope = new CandidateScope(this, request, inspection, plan, i, _slots.Slot(deployment.Id), requestId, attempts, budget, defaultOutputTokens);
            var tried = await _retries.RunAsync(scope, cancellationToken);
            upstreamTime += tried.Result.UpstreamTime;
            if (tried.Refused is { } refusal)
            {
                (skipped ??= []).Add(RouteRefusals.Unavailable(deployment, refusal, tried.Wait));
                if ((refusal is Availability.CoolingDown or Availability.OverRateLimit or Availability.OverTokenLimit) && (shortestCooldown is null || tried.Wait < shortestCooldown))
                {
                    shortestCooldown = tried.Wait;
                }

                continue;
            }

            var result = tried.Result;
            last = result;
            lastCandidate = candidate;
            if (result.IsSuccess)
            {
                return new Outcome
                {
                    Result = result,
                    Served = candidate,
                    Attempts = attempts,
                    UpstreamTime = upstreamTime,
                    StreamPrimed = tried.Primed,
                    FirstChoice = plan.Candidates[0],
                };
            }

            if (result.Status == DispatchStatus.RateLimited &&
                (rateLimited is null || (result.RetryAfter ?? TimeSpan.MaxValue) < (rateLimited.RetryAfter ?? TimeSpan.MaxValue)))
            {
                rateLimited = result;
            }

            if (!IsWorthAnotherCandidate(result.Status) || cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        if (last is null)
        {
            // What Route left out counts too (a deployment open or cooling when planned), as Route would have said it.
            foreach (var excluded in plan.Exclusions)
            {
                if (excluded.Wait is { } w && (shortestCooldown is null || w < shortestCooldown))
                {
                    shortestCooldown = w;
                }
            }

            var unavailable = RouteRefusals.AvailabilityError(plan.RequestedName, plan.Exclusions.Count == 0 ? skipped ?? [] : [.. plan.Exclusions, .. skipped ?? []], shortestCooldown)
                ?? new Problem(403, "data_class_forbidden", $"No deployment of '{plan.RequestedName}' may receive this request.");
            return new Outcome
            {
                Result = UpstreamResult.Failure(DispatchStatus.ConnectFailed, 0, unavailable.Message, TimeSpan.Zero, unavailable.RetryAfter),
                Attempts = attempts,
                Unavailable = unavailable,
            };
        }

        // A rate limit is the truth worth telling when nothing else could serve: the client can retry after it.
        var final = last.Status is DispatchStatus.ClientCanceled or DispatchStatus.Rejected ? last : rateLimited ?? last;
        return new Outcome { Result = final, Served = lastCandidate, Attempts = attempts, UpstreamTime = upstreamTime };
    }

    /// <summary>Failures another deployment may not have. A request the upstream rejected as invalid would be rejected everywhere.</summary>
    public static bool IsWorthAnotherCandidate(DispatchStatus status) => status is
        DispatchStatus.RateLimited or DispatchStatus.UpstreamError or DispatchStatus.Timeout or
        DispatchStatus.ConnectFailed or DispatchStatus.AuthFailed or DispatchStatus.InvalidResponse;

    /// <summary>What an attempt's status says about the deployment's health.</summary>
    public static AttemptVerdict VerdictOf(DispatchStatus status) => status switch
    {
        DispatchStatus.Success => AttemptVerdict.Success,
        DispatchStatus.RateLimited => AttemptVerdict.RateLimited,
        DispatchStatus.UpstreamError or DispatchStatus.Timeout or DispatchStatus.ConnectFailed or DispatchStatus.InvalidResponse
            or DispatchStatus.AuthFailed => AttemptVerdict.Failure,
        _ => AttemptVerdict.Neutral,
    };

    /// <summary>One try against one deployment: take a slot, send under the attempt's timeout, report the verdict.</summary>
    internal async ValueTask<TryResult> TryOnceAsync(CandidateScope scope, CancellationToken cancellationToken)
    {
        var deployment = scope.Deployment;
        var policy = deployment.Resilience;
        var health = scope.Health;
        // Only a tokens-per-minute limit needs the estimate: estimated input + the most the request may generate.
        var reserve = policy.TokensPerMinute is null ? 0
            : scope.Inspection.EstimatedInputTokens + Inspect.Inspector.ReservedOutputTokens(scope.Request, deployment.Model, scope.DefaultOutputTokens);
        var budgeted = scope.BudgetedRetry;
        scope.BudgetedRetry = false;
        var entered = health.TryEnter(policy, reserve, out var refusal, out var wait, out var isProbe, out var reservation);
        var coolDownProbe = false;
        if (!entered && refusal == Availability.CoolingDown && scope.StaysBeforeEscalating)
        {
            // Nothing as cheap is left (issue 13): a short cool-down is waited out (max_retry_after in all: another 429
            // meanwhile may renew it), a long one gets a probe now and then.
            if (wait <= policy.MaxRetryAfter)
            {
                var waited = TimeSpan.Zero;
                do
                {
                    // Whole milliseconds: a timer rounds a shorter delay down to nothing, and this would spin.
                    var step = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds)));
                    await Task.Delay(step, _time, cancellationToken);
                    waited += step;
                    entered = health.TryEnter(policy, reserve, out refusal, out wait, out isProbe, out reservation);
                }
                while (!entered && refusal == Availability.CoolingDown && waited + wait <= policy.MaxRetryAfter);

                scope.Attempts.Add(new AttemptRecord(deployment.Id, "Waited:CoolingDown", 0, waited.TotalMilliseconds));
            }
            else
            {
                entered = coolDownProbe = health.TryEnterCoolDownProbe(policy, reserve, out refusal, out wait, out reservation);
            }
        }

        if (!entered)
        {
            scope.Attempts.Add(new AttemptRecord(deployment.Id, "Skipped:" + refusal, 0, 0));
            return new TryResult(UpstreamResult.Failure(DispatchStatus.ConnectFailed, 0, "skipped", TimeSpan.Zero), false, refusal, wait);
        }

        var handedOver = false;
        int? usedTokens = null;
        var timeout = scope.Request.Stream ? policy.FirstTokenTimeout : policy.Timeout;
        // Our own timer source, not Polly's timeout strategy: Polly pools and resets its source when the callback
        // returns, but a stream outlives the callback and keeps reading under this token (docs/decisions/0004).
        using var timer = new CancellationTokenSource(timeout, _time);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var (result, primed, elapsed) = await AttemptAsync(scope.Request, deployment, scope.RequestId, linked.Token);
            if (result.Status == DispatchStatus.ClientCanceled && !cancellationToken.IsCancellationRequested)
            {
                var phase = scope.Request.Stream ? "first_token_timeout" : "timeout";
                result = UpstreamResult.Failure(DispatchStatus.Timeout, result.UpstreamStatusCode,
                    $"The upstream provider '{deployment.ProviderName}' did not answer within {phase} ({timeout.TotalMilliseconds:0}ms).", elapsed);
            }

            health.Record(policy, VerdictOf(result.Status), elapsed, result.RetryAfter, isProbe);
            if (coolDownProbe)
            {
                coolDownProbe = false;
                health.EndCoolDownProbe(policy, VerdictOf(result.Status), result.RetryAfter);
            }

            if (budgeted && result.IsSuccess)
            {
                _budget.Refund(scope.Budget);
            }

            usedTokens = TokensUsed(result);
            scope.Attempts.Add(new AttemptRecord(deployment.Id, result.Status.ToString(), result.UpstreamStatusCode, elapsed.TotalMilliseconds));
            if (result is { IsSuccess: true, Stream: null, Usage: { } usage } && elapsed > TimeSpan.Zero)
            {
                // A whole response: its tokens came over the whole wait (a stream's rate is taken when it ends).
                health.RecordGenerationRate(usage.OutputTokens / elapsed.TotalSeconds);
            }

            if (result is { IsSuccess: true, Stream: { } stream })
            {
                handedOver = true;
                result = new UpstreamResult
                {
                    Status = result.Status,
                    UpstreamStatusCode = result.UpstreamStatusCode,
                    Stream = new TrackedStream(stream, primed, linked, health, policy, reservation, _time),
                    Usage = result.Usage,
                    UpstreamTime = result.UpstreamTime,
                };
            }

            return new TryResult(result, primed, null, TimeSpan.Zero);
        }
        finally
        {
            if (coolDownProbe)
            {
                health.EndCoolDownProbe(policy, AttemptVerdict.Neutral, null);
            }

            if (!handedOver)
            {
                linked.Dispose();
                health.Leave(reservation, usedTokens);
            }
        }
    }

    /// <summary>
    /// The tokens an attempt that did not become a stream spent of its deployment's minute: the reported usage; none when
    /// the upstream refused or failed before generating; null (the reservation stays) when it answered without usage or
    /// may have generated before it timed out.
    /// </summary>
    internal static int? TokensUsed(UpstreamResult result) => result switch
    {
        { Usage: { } usage } => usage.RateLimitedTokens,
        { IsSuccess: true } => null,
        { Status: DispatchStatus.Timeout or DispatchStatus.ClientCanceled or DispatchStatus.InvalidResponse } => null,
        _ => 0,
    };

    /// <summary>One attempt against one deployment; a stream must deliver its first event to count as a success.</summary>
    public async ValueTask<(UpstreamResult Result, bool Primed, TimeSpan Elapsed)> AttemptAsync(
        CanonicalRequest request, Deployment deployment, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var start = _time.GetTimestamp();
        var result = await deployment.Adapter.SendAsync(new UpstreamCall(request, deployment, requestId), cancellationToken);
        if (!result.IsSuccess || result.Stream is not { } stream)
        {
            return (result, false, _time.GetElapsedTime(start));
        }

        bool gotEvent;
        try
        {
            gotEvent = await stream.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            return (UpstreamResult.Failure(DispatchStatus.ClientCanceled, result.UpstreamStatusCode, "The client closed the connection.", _time.GetElapsedTime(start)), false, _time.GetElapsedTime(start));
        }

        if (!gotEvent && stream.Failure is { } failure)
        {
            await stream.DisposeAsync();
            var elapsed = _time.GetElapsedTime(start);
            return (UpstreamResult.Failure(failure, result.UpstreamStatusCode, "The upstream stream ended before its first event.", elapsed), false, elapsed);
        }

        return (result, gotEvent, _time.GetElapsedTime(start));
    }

}
