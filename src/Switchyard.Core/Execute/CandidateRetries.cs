using System.Runtime.CompilerServices;
using Polly;
using Polly.Retry;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Execute;

/// <summary>How one try (or a candidate's tries) ended: the result, whether a stream delivered its first event, and why it was not even sent.</summary>
internal sealed record TryResult(UpstreamResult Result, bool Primed, Availability? Refused, TimeSpan Wait);

/// <summary>
/// The retries of one candidate: a Polly.Core retry pipeline per resilience policy (cached per compiled policy object):
/// exponential backoff with jitter, a 429's <c>retry-after</c> as the delay, our <see cref="TimeProvider"/> and
/// <see cref="IRandomSource"/> (docs/decisions/0004). Each try is <see cref="Executor.TryOnceAsync"/>.
/// </summary>
internal sealed class CandidateRetries(TimeProvider time, IRandomSource random)
{
    private static readonly ResiliencePropertyKey<CandidateScope> _scopeKey = new("switchyard.candidate");

    private readonly ConditionalWeakTable<ResiliencePolicy, ResiliencePipeline<TryResult>> _pipelines = [];

    /// <summary>Runs the candidate's tries: the first, then retries while <see cref="ShouldRetry"/> says so.</summary>
    public async ValueTask<TryResult> RunAsync(CandidateScope scope, CancellationToken cancellationToken)
    {
        var pipeline = _pipelines.GetValue(scope.Deployment.Resilience, Build);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(_scopeKey, scope);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) => Polly.Outcome.FromResult(await s.Executor.TryOnceAsync(s, ctx.CancellationToken)), context, scope);
            if (outcome.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                // The client left during a backoff delay.
                return new TryResult(UpstreamResult.Failure(DispatchStatus.ClientCanceled, 0, "The client closed the connection.", TimeSpan.Zero), false, null, TimeSpan.Zero);
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline<TryResult> Build(ResiliencePolicy policy)
    {
        var builder = new ResiliencePipelineBuilder<TryResult> { TimeProvider = time };
        if (policy.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<TryResult>
            {
                MaxRetryAttempts = policy.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Randomizer = random.NextDouble,
                Delay = policy.RetryBaseDelay,
                MaxDelay = policy.RetryMaxDelay,
                ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = static args => ValueTask.FromResult(RetryDelay(args.Outcome, args.Context)),
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Retry the same deployment only when no later candidate is as cheap — the plan's last, or every later one is dearer
    /// (cost-aware: a transient failure of the cheap primary is retried before the request escalates to the dear
    /// fallback, issue 13); while one as cheap remains, falling back is faster than a backoff and does not pile onto a
    /// struggling upstream. Only for a transient failure, while its breaker is still closed, within the retry budget; a
    /// 429 only when its wait is short enough to sit out here.
    /// </summary>
    private static bool ShouldRetry(Outcome<TryResult> outcome, ResilienceContext context)
    {
        if (outcome.Result is not { Refused: null } tried || context.CancellationToken.IsCancellationRequested
            || !context.Properties.TryGetValue(_scopeKey, out var scope) || !scope.StaysBeforeEscalating)
        {
            return false;
        }

        var status = tried.Result.Status;
        if (!Executor.IsWorthAnotherCandidate(status) || status == DispatchStatus.AuthFailed || !scope.Health.BreakerClosed)
        {
            return false;
        }

        var policy = scope.Deployment.Resilience;
        if (status == DispatchStatus.RateLimited && (tried.Result.RetryAfter ?? policy.RateLimitCooldown) > policy.MaxRetryAfter)
        {
            return false;
        }

        if (!scope.Executor.Budget.TryAcquire(scope.Budget))
        {
            return false;
        }

        scope.BudgetedRetry = true;
        return true;
    }

    private static TimeSpan? RetryDelay(Outcome<TryResult> outcome, ResilienceContext context)
    {
        if (outcome.Result?.Result is { Status: DispatchStatus.RateLimited } limited && context.Properties.TryGetValue(_scopeKey, out var scope))
        {
            return limited.RetryAfter ?? scope.Deployment.Resilience.RateLimitCooldown;
        }

        return null;
    }
}
