using Switchyard.Core.Chain;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Chain;

/// <summary>The ledger record is built once from the exchange: each stage's part as it left it, the cost computed there once.</summary>
public sealed class ExchangeLedgerRecordTests
{
    private static readonly RouteTable _table = new RouteTableCompiler([new InertAdapterFactory()], new FakeTimeProvider(), static _ => null).Compile(new GatewayConfig
    {
        Providers = [new ProviderConfig { Name = "own", Type = "inert", Zone = TrustZone.SelfHosted }],
        Models =
        [
            new ModelConfig { Name = "cheap", Price = new PriceOverride(1m, 2m, null, null) },
            new ModelConfig { Name = "dear", Price = new PriceOverride(10m, 20m, null, null) },
        ],
        Deployments =
        [
            new DeploymentConfig { Id = "d-cheap", Provider = "own", Model = "cheap" },
            new DeploymentConfig { Id = "d-dear", Provider = "own", Model = "dear" },
        ],
    });

    private static Exchange Accepted()
    {
        var exchange = new Exchange("req_1", 0, ApiFormat.OpenAI, Operation.ChatCompletion)
        {
            AcceptedAt = new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero),
            Request = new CanonicalRequest { ClientFormat = ApiFormat.OpenAI, Operation = Operation.ChatCompletion, Model = "cheap", Stream = true },
            Caller = new Caller { KeyName = "app", KeyId = "abcdef012345", Team = "search" },
            Inspection = new Inspection(DataClass.Internal, "default", 100, RequestFeatures.None),
            Baseline = _table.Models["dear"],
            TotalMs = 12,
            UpstreamMs = 10,
        };
        return exchange;
    }

    private static RoutePlan Plan(params string[] deployments) =>
        new("cheap", false, [.. deployments.Select(id => new RouteCandidate(_table.Models[id[2..]].Deployments[0], "chosen"))], [], "cheap via d-cheap");

    [Fact]
    public void ARefusalBeforeExecute_CostsNothing_AndTheRefusalIsTheReason()
    {
        var exchange = Accepted();
        exchange.Problem = new Problem(404, "model_not_found", "The model 'x' does not exist or you do not have access to it.");

        var record = exchange.ToLedgerRecord();

        Assert.Equal(LedgerOutcome.Rejected, record.Outcome);
        Assert.Equal(404, record.HttpStatus);
        Assert.Equal("model_not_found", record.ErrorClass);
        Assert.Equal(exchange.Problem.Message, record.RouteReason);
        Assert.Equal(0m, record.CostUsd);
        Assert.Equal(0m, record.BaselineCostUsd);
        Assert.Null(record.RouteObjective);
        Assert.Empty(record.Attempts);
        Assert.Equal("internal", record.DataClass);
        Assert.Equal(2, record.OverheadMs);
    }

    [Fact]
    public void ABudgetRefusal_KeepsThePlansSummaryAsTheReason()
    {
        var exchange = Accepted();
        exchange.Plan = Plan("d-cheap");
        exchange.Problem = new Problem(429, "budget_exceeded", "Budget exceeded.") { ShouldRetry = false };

        Assert.Equal("cheap via d-cheap", exchange.ToLedgerRecord().RouteReason);
    }

    [Fact]
    public void AServedReply_IsCostedOnce_FromItsUsage_OnTheServedModel_TheBaseline_AndTheFirstChoice()
    {
        var exchange = Accepted();
        var plan = Plan("d-cheap", "d-dear");
        exchange.Plan = plan;
        exchange.Outcome = new Outcome
        {
            Result = new UpstreamResult { Status = DispatchStatus.Success },
            Served = plan.Candidates[1],
            FirstChoice = plan.Candidates[0],
            Attempts = [new AttemptRecord("d-cheap", "Timeout", 0, 5), new AttemptRecord("d-dear", "Success", 200, 5)],
        };
        exchange.RouteStory = "cheap via d-cheap; d-cheap timed out, fell back to d-dear";
        exchange.RedactedTypes = "EMAIL";
        exchange.Result = LedgerOutcome.Success;
        exchange.HttpStatus = 200;
        exchange.Usage = new Usage(1_000_000, 500_000);

        var record = exchange.ToLedgerRecord();

        Assert.Equal(LedgerOutcome.Success, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Null(record.ErrorClass);
        Assert.Equal("dear", record.ServedModel);
        Assert.Equal("d-dear", record.DeploymentId);
        Assert.Equal(20m, record.CostUsd);
        Assert.Equal(20m - 2m, record.FallbackExtraCostUsd);
        Assert.Equal(20m, record.BaselineCostUsd);
        Assert.Equal(2, record.Attempts.Count);
        Assert.Equal("weighted", record.RouteObjective);
        Assert.Equal("cheap via d-cheap; d-cheap timed out, fell back to d-dear; redacted EMAIL", record.RouteReason);
        Assert.True(record.Streamed);
    }

    [Fact]
    public void TheRecordKeepsTheClassOfWhatWasSent_WhenRedactionLoweredIt()
    {
        var exchange = Accepted();
        exchange.Inspection = new Inspection(DataClass.Restricted, "detected CREDIT_CARD", 100, RequestFeatures.None) { DataClassSource = DataClassSource.Detected };
        exchange.RedactedInspection = new Inspection(DataClass.Internal, "default", 100, RequestFeatures.None);
        exchange.Problem = new Problem(503, "no_deployment_available", "No deployment is available now.");

        Assert.Equal("internal", exchange.ToLedgerRecord().DataClass);
        Assert.Equal("restricted", Exchange.DataClassName(exchange.Inspection.DataClass));
    }

    [Fact]
    public void AStageThatReadsAPartNotYetWritten_FailsLoudly()
    {
        var exchange = new Exchange("req_2", 0, ApiFormat.Anthropic, Operation.ChatCompletion);

        Assert.Throws<InvalidOperationException>(() => exchange.Caller);
        Assert.Throws<InvalidOperationException>(() => exchange.Inspection);
        Assert.Throws<InvalidOperationException>(() => exchange.Request);
    }
}
