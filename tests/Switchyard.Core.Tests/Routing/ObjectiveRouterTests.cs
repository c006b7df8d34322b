using System.Collections.Frozen;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Routing;

/// <summary>The objective step of Route, on top of (never instead of) the hard constraints.</summary>
public sealed class ObjectiveRouterTests
{
    private const string CheapProfile = "gemini-1.5-flash-002";
    private const string FrontierProfile = "gemini-1.5-pro-002";
    private static readonly Caller _caller = new() { KeyName = "test", KeyId = "000000000000" };

    private sealed class InertAdapterFactory : IProviderAdapterFactory
    {
        public string Type => "inert";

        public IProviderAdapter Create(ProviderSettings settings) => new InertAdapter(settings.Config.Name);
    }

    private sealed class InertAdapter(string name) : IProviderAdapter
    {
        public string ProviderName => name;
        public ApiFormat WireFormat => ApiFormat.OpenAI;
        public bool IsSimulated => false;

        public ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The router must not call adapters.");
    }

    /// <summary>Deployments all idle and available, with the given measured speeds.</summary>
    private sealed class FixedStats(Dictionary<string, DeploymentSpeed> speeds) : IDeploymentStates
    {
        public DeploymentView View(Deployment deployment) => DeploymentView.Idle;

        public bool TryGetSpeed(string deploymentId, out DeploymentSpeed speed) => speeds.TryGetValue(deploymentId, out speed);
    }

    /// <summary>cheap (external, $0.1/$0.4) and frontier (self-hosted, $5/$15) behind an alias <c>auto</c>.</summary>
    private static RouteTable Table(RouteObjective objective = RouteObjective.CheapestQualifying, QualityThresholds? thresholds = null, string cheapZone = "external") =>
        new RouteTableCompiler([new InertAdapterFactory()], new FakeTimeProvider(), static _ => null).Compile(new GatewayConfig
        {
            Providers =
            [
                new ProviderConfig { Name = "public", Type = "inert", Zone = cheapZone == "external" ? TrustZone.External : TrustZone.SelfHosted },
                new ProviderConfig { Name = "own", Type = "inert", Zone = TrustZone.SelfHosted },
            ],
            Models =
            [
                new ModelConfig { Name = "cheap", QualityProfile = CheapProfile, Price = new PriceOverride(0.1m, 0.4m, null, null) },
                new ModelConfig { Name = "frontier", QualityProfile = FrontierProfile, Price = new PriceOverride(5m, 15m, null, null) },
            ],
            Deployments = [new DeploymentConfig { Id = "d-cheap", Provider = "public", Model = "cheap" }, new DeploymentConfig { Id = "d-frontier", Provider = "own", Model = "frontier" }],
            Aliases = [new AliasConfig { Name = "auto", Targets = [new("frontier", 1), new("cheap", 1)], Objective = objective, Thresholds = thresholds }],
        });

    private static CanonicalRequest Request() => new() { ClientFormat = ApiFormat.OpenAI, Operation = Operation.ChatCompletion, Model = "auto" };

    private static Inspect.Inspection Inspect(float cheap, float frontier, TaskCategory category = TaskCategory.QA, DataClass dataClass = DataClass.Internal)
    {
        var quality = new float[TaskAnalyzer.BuiltIn.Profiles.Count];
        quality[TaskAnalyzer.BuiltIn.ProfileIndex[CheapProfile]] = cheap;
        quality[TaskAnalyzer.BuiltIn.ProfileIndex[FrontierProfile]] = frontier;
        return new Inspect.Inspection(dataClass, "test", 200, RequestFeatures.None) { Task = new TaskAnalysis(category, 0.9f, quality) };
    }

    private static RoutePlan Plan(RouteTable table, Inspect.Inspection inspection, Caller? caller = null, RouteOverrides? overrides = null, IDeploymentStates? stats = null)
    {
        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(Request(), caller ?? _caller, inspection, table, stats, overrides);
        Assert.Null(error);
        return plan!;
    }

    [Fact]
    public void CheapestQualifying_EasyPrompt_PicksTheCheapModel()
    {
        var plan = Plan(Table(), Inspect(cheap: 0.9f, frontier: 0.95f));

        Assert.Equal(["d-cheap", "d-frontier"], plan.Candidates.Select(c => c.Deployment.Id));
        Assert.Equal(RouteObjective.CheapestQualifying, plan.Objective);
        Assert.StartsWith("cheapest-qualifying: cheap (qa q 0.90 >= 0.70", plan.Summary, StringComparison.Ordinal);
        Assert.Equal(0.9, plan.Candidates[0].Quality!.Value, 3);
        Assert.True(plan.Candidates[0].EstimatedCostUsd < plan.Candidates[1].EstimatedCostUsd);
    }

    [Fact]
    public void CheapestQualifying_HardPrompt_PicksTheFrontierModel()
    {
        var plan = Plan(Table(), Inspect(cheap: 0.4f, frontier: 0.8f));

        Assert.Equal(["d-frontier", "d-cheap"], plan.Candidates.Select(c => c.Deployment.Id));
    }

    [Fact]
    public void CheapestQualifying_NoneQualifies_PicksTheBestPredicted()
    {
        var plan = Plan(Table(), Inspect(cheap: 0.3f, frontier: 0.5f));

        Assert.Equal("d-frontier", plan.Candidates[0].Deployment.Id);
        Assert.Contains("best-predicted", plan.Candidates[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheapestQualifying_PerCategoryThreshold_AppliesToThatCategoryOnly()
    {
        var thresholds = new QualityThresholds(0.7, new Dictionary<TaskCategory, double> { [TaskCategory.Code] = 0.95 }.ToFrozenDictionary());

        var code = Plan(Table(thresholds: thresholds), Inspect(cheap: 0.9f, frontier: 0.96f, TaskCategory.Code));
        var qa = Plan(Table(thresholds: thresholds), Inspect(cheap: 0.9f, frontier: 0.96f, TaskCategory.QA));

        Assert.Equal("d-frontier", code.Candidates[0].Deployment.Id);
        Assert.Equal("d-cheap", qa.Candidates[0].Deployment.Id);
    }

    [Fact]
    public void Best_PicksHighestPredictedQualityWhateverTheCost()
    {
        var plan = Plan(Table(RouteObjective.Best), Inspect(cheap: 0.9f, frontier: 0.95f));

        Assert.Equal("d-frontier", plan.Candidates[0].Deployment.Id);
    }

    private static QualityThresholds Rate(double qualityPerDollar) => QualityThresholds.Standard with { QualityPerDollar = qualityPerDollar };

    [Fact]
    public void Value_LambdaZeroIsBest_HugeLambdaIsCheapest()
    {
        var free = Plan(Table(RouteObjective.Value, Rate(0)), Inspect(cheap: 0.5f, frontier: 0.9f));
        var dear = Plan(Table(RouteObjective.Value, Rate(1e9)), Inspect(cheap: 0.5f, frontier: 0.9f));

        Assert.Equal(["d-frontier", "d-cheap"], free.Candidates.Select(c => c.Deployment.Id));
        Assert.Equal(["d-cheap", "d-frontier"], dear.Candidates.Select(c => c.Deployment.Id));
        Assert.Equal(RouteObjective.Value, dear.Objective);
        Assert.StartsWith("value: cheap (qa q 0.50 - 1000000000/$ x $", dear.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_UpgradesExactlyWhenThePredictedGainPaysForTheExtraCost()
    {
        var costs = Plan(Table(RouteObjective.Value, Rate(0)), Inspect(0.5f, 0.9f)).Candidates.ToDictionary(c => c.Deployment.Id, c => (double)c.EstimatedCostUsd!.Value);
        // At this λ, an extra 0.3 of predicted quality is worth exactly the frontier model's extra cost.
        var rate = Rate(0.3 / (costs["d-frontier"] - costs["d-cheap"]));

        var bigGain = Plan(Table(RouteObjective.Value, rate), Inspect(cheap: 0.5f, frontier: 0.9f));
        var smallGain = Plan(Table(RouteObjective.Value, rate), Inspect(cheap: 0.7f, frontier: 0.9f));

        Assert.Equal("d-frontier", bigGain.Candidates[0].Deployment.Id);
        Assert.Equal("d-cheap", smallGain.Candidates[0].Deployment.Id);
    }

    [Fact]
    public void Value_RequestedQualityPerDollar_MayLowerLambdaNeverRaiseIt()
    {
        var lowered = Plan(Table(RouteObjective.Value, Rate(1e9)), Inspect(0.5f, 0.9f), overrides: new RouteOverrides(null, null, 0));
        var raised = Plan(Table(RouteObjective.Value, Rate(0)), Inspect(0.5f, 0.9f), overrides: new RouteOverrides(null, null, 1e9));

        Assert.Equal("d-frontier", lowered.Candidates[0].Deployment.Id);
        Assert.Equal("d-frontier", raised.Candidates[0].Deployment.Id);
    }

    [Fact]
    public void Fastest_PicksLowestExpectedLatency_UnmeasuredLast()
    {
        var stats = new FixedStats(new() { ["d-frontier"] = new DeploymentSpeed(50, 400), ["d-cheap"] = new DeploymentSpeed(400, 50) });

        var measured = Plan(Table(RouteObjective.Fastest), Inspect(0.9f, 0.9f), stats: stats);
        var partly = Plan(Table(RouteObjective.Fastest), Inspect(0.9f, 0.9f), stats: new FixedStats(new() { ["d-cheap"] = new DeploymentSpeed(400, 50) }));

        Assert.Equal("d-frontier", measured.Candidates[0].Deployment.Id);
        Assert.Equal("d-cheap", partly.Candidates[0].Deployment.Id);
    }

    [Fact]
    public void RequestOverride_WithinPolicy_ChangesTheObjective()
    {
        var caller = _caller with { AllowedObjectives = new[] { RouteObjective.CheapestQualifying, RouteObjective.Best }.ToFrozenSet() };

        var plan = Plan(Table(), Inspect(cheap: 0.9f, frontier: 0.95f), caller, new RouteOverrides(RouteObjective.Best, null));

        Assert.Equal(RouteObjective.Best, plan.Objective);
        Assert.Equal("d-frontier", plan.Candidates[0].Deployment.Id);
    }

    [Fact]
    public void RequestOverride_OutsidePolicy_Is403()
    {
        var caller = _caller with { AllowedObjectives = new[] { RouteObjective.CheapestQualifying }.ToFrozenSet() };

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(Request(), caller, Inspect(0.9f, 0.95f), Table(), overrides: new RouteOverrides(RouteObjective.Best, null));

        Assert.Null(plan);
        Assert.Equal(403, error!.Status);
        Assert.Equal("objective_not_allowed", error.Code);
    }

    [Fact]
    public void MinQualityOverride_RaisesButNeverLowersTheThreshold()
    {
        var raised = Plan(Table(), Inspect(cheap: 0.8f, frontier: 0.95f), overrides: new RouteOverrides(null, 0.9));
        var lowered = Plan(Table(), Inspect(cheap: 0.5f, frontier: 0.95f), overrides: new RouteOverrides(null, 0.1));

        Assert.Equal("d-frontier", raised.Candidates[0].Deployment.Id);
        Assert.Equal("d-frontier", lowered.Candidates[0].Deployment.Id);
    }

    [Fact]
    public void KeyPolicy_ObjectiveAndThresholds_OverrideTheAlias()
    {
        var strict = _caller with { Thresholds = new QualityThresholds(0.99, FrozenDictionary<TaskCategory, double>.Empty) };

        var plan = Plan(Table(), Inspect(cheap: 0.9f, frontier: 0.95f), strict);

        Assert.Equal("d-frontier", plan.Candidates[0].Deployment.Id);
    }

    [Theory]
    [InlineData(RouteObjective.CheapestQualifying)]
    [InlineData(RouteObjective.Best)]
    [InlineData(RouteObjective.Fastest)]
    [InlineData(RouteObjective.Weighted)]
    public void RestrictedRequest_NeverGetsTheExternalCandidate_WhateverTheObjective(RouteObjective objective)
    {
        // The cheap model is external and predicted excellent: every objective would prefer it.
        var stats = new FixedStats(new() { ["d-cheap"] = new DeploymentSpeed(1, 10_000) });

        var plan = Plan(Table(objective), Inspect(cheap: 0.99f, frontier: 0.2f, dataClass: DataClass.Restricted), stats: stats,
            overrides: new RouteOverrides(RouteObjective.Best, null));

        var only = Assert.Single(plan.Candidates);
        Assert.Equal("d-frontier", only.Deployment.Id);
        Assert.Contains(plan.Exclusions, e => e.DeploymentId == "d-cheap" && e.Kind == ExclusionKind.TrustZone);
    }
}
