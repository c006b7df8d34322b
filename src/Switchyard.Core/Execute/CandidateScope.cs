using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Execute;

/// <summary>One candidate of the plan being tried: what its tries (and the retry decisions between them) need.</summary>
internal sealed class CandidateScope(Executor executor, CanonicalRequest request, Inspect.Inspection inspection, RoutePlan plan, int index,
    IDeploymentSlot health, string requestId, List<AttemptRecord> attempts, RetryBudgetSettings budget, int defaultOutputTokens)
{
    private bool? _staysBeforeEscalating;

    public Executor Executor => executor;
    public CanonicalRequest Request => request;
    public Inspect.Inspection Inspection => inspection;
    public Deployment Deployment => plan.Candidates[index].Deployment;
    public IDeploymentSlot Health => health;
    public string RequestId => requestId;
    public List<AttemptRecord> Attempts => attempts;
    public RetryBudgetSettings Budget => budget;
    public int DefaultOutputTokens => defaultOutputTokens;

    /// <summary>The next try is a retry that took a share of the retry budget (given back if it succeeds).</summary>
    public bool BudgetedRetry { get; set; }

    /// <summary>
    /// True when no later candidate is as cheap for this request (the plan's last, or every later one is dearer): a
    /// transient failure is retried here, and a short cool-down waited out, before the request escalates. Worked
    /// out on the first failure only (the hot path never needs it).
    /// </summary>
    public bool StaysBeforeEscalating => _staysBeforeEscalating ??= ComputeStays();

    private bool ComputeStays()
    {
        var candidates = plan.Candidates;
        if (index == candidates.Count - 1)
        {
            return true;
        }

        var cost = Router.EstimatedCost(request, inspection, Deployment.Model);
        for (var i = index + 1; i < candidates.Count; i++)
        {
            if (Router.EstimatedCost(request, inspection, candidates[i].Deployment.Model) <= cost)
            {
                return false;
            }
        }

        return true;
    }
}
