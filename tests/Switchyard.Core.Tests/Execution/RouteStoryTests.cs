using Switchyard.Core.Execute;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Pricing;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Xunit;
using static Switchyard.Core.Tests.Execution.Steps;

namespace Switchyard.Core.Tests.Execution;

/// <summary>The one line the route header and the ledger's route reason share (issue 13, defect 8).</summary>
public sealed class RouteStoryTests
{
    private const string Summary = "alias auto -> m (weight 1); a (external)";

    private static readonly ModelInfo _model = new()
    {
        Name = "m",
        Supports = RequestFeatures.None,
        SupportsEmbeddings = false,
        SupportsChat = true,
        Price = new ModelPrice(1m, 2m, null, null, "test"),
    };

    private static RouteCandidate Candidate(string id) => new(new Deployment
    {
        Id = id,
        ProviderName = "p",
        ProviderType = "openai",
        UpstreamModel = "m",
        Zone = TrustZone.External,
        Weight = 1,
        Adapter = new ScriptedAdapter(Ok()),
        Model = _model,
    }, "test");

    private static readonly RouteCandidate _a = Candidate("a");
    private static readonly RouteCandidate _b = Candidate("b");
    private static readonly RouteCandidate _c = Candidate("c");
    private static readonly RoutePlan _plan = new("auto", true, [_a, _b, _c], [], Summary);

    private static string Tell(RouteCandidate? served, params AttemptRecord[] attempts) => RouteStory.Tell(_plan, new Outcome
    {
        Result = served is null ? UpstreamResult.Failure(DispatchStatus.UpstreamError, 500, "failed", TimeSpan.Zero) : new UpstreamResult { Status = DispatchStatus.Success },
        Served = served,
        Attempts = attempts,
        FirstChoice = _a,
    });

    [Fact]
    public void Tell_FirstChoiceServedAtOnce_ThePlanSummaryItself()
    {
        Assert.Same(Summary, Tell(_a, new AttemptRecord("a", "Success", 200, 5)));
    }

    [Fact]
    public void Tell_FallbacksAfterSkipsAndFailures_NamesEachWithItsReason()
    {
        var story = Tell(_c,
            new AttemptRecord("a", "Skipped:CircuitOpen", 0, 0),
            new AttemptRecord("b", "Timeout", 0, 300),
            new AttemptRecord("b", "UpstreamError", 0, 3),
            new AttemptRecord("c", "RateLimited", 429, 2),
            new AttemptRecord("c", "Success", 200, 5));

        Assert.Equal(Summary + "; fell back to c after a: circuit open; b: connection broken (2 tries) (served on try 2)", story);
    }

    [Fact]
    public void Tell_RetriedAndWaited_SaysSo()
    {
        Assert.Equal(Summary + "; served by a on try 2 after upstream 503",
            Tell(_a, new AttemptRecord("a", "UpstreamError", 503, 5), new AttemptRecord("a", "Success", 200, 5)));
        Assert.Equal(Summary + "; served by a on try 2 after upstream 429, having waited 51ms for its rate-limit cool-down",
            Tell(_a, new AttemptRecord("a", "RateLimited", 429, 5), new AttemptRecord("a", "Waited:CoolingDown", 0, 50.2), new AttemptRecord("a", "Success", 200, 5)));
    }

    [Fact]
    public void Tell_NothingServed_ListsEveryFailure()
    {
        Assert.Equal(Summary + "; failed: a: refused (TrustZone); b: upstream 401; c: cooling down after a 429 (waited 2000ms for its rate-limit cool-down)",
            Tell(null,
                new AttemptRecord("a", "Refused:TrustZone", 0, 0),
                new AttemptRecord("b", "AuthFailed", 401, 4),
                new AttemptRecord("c", "Waited:CoolingDown", 0, 2000),
                new AttemptRecord("c", "Skipped:CoolingDown", 0, 0)));
    }
}
