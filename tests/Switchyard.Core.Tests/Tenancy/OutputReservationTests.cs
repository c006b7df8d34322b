using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Pricing;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Xunit;

namespace Switchyard.Core.Tests.Tenancy;

/// <summary>What a reservation counts as output for a request (docs/tenancy.md, "Reservation policy").</summary>
public sealed class OutputReservationTests
{
    private static ModelInfo Model(int? max = null, int? reserved = null) => new()
    {
        Name = "m",
        Supports = RequestFeatures.None,
        SupportsEmbeddings = false,
        SupportsChat = true,
        MaxOutputTokens = max,
        ReservedOutputTokens = reserved,
        Price = new ModelPrice(1m, 2m, null, null, "test"),
    };

    private static CanonicalRequest Request(int? maxTokens = null, Operation operation = Operation.ChatCompletion) =>
        new() { ClientFormat = ApiFormat.OpenAI, Operation = operation, Model = "m", MaxOutputTokens = maxTokens };

    [Theory]
    // The request's max_tokens is a hard limit: the reservation covers it whatever the model or policy say.
    [InlineData(300, 8192, 2000, 1024, 300)]
    // No max_tokens: not the model's whole output limit (8,192 refused small budgets outright) but the default …
    [InlineData(null, 8192, null, 1024, 1024)]
    // … unless the model sets its own reservation …
    [InlineData(null, 8192, 2000, 1024, 2000)]
    // … and never more than the model can generate.
    [InlineData(null, 8192, null, 100000, 8192)]
    [InlineData(null, null, null, 100000, 100000)]
    public void ReservedOutputTokens_RequestThenModelThenDefault_CappedAtTheModelsMaximum(int? maxTokens, int? modelMax, int? modelReserved, int defaultTokens, int expected)
    {
        Assert.Equal(expected, Inspector.ReservedOutputTokens(Request(maxTokens), Model(modelMax, modelReserved), defaultTokens));
    }

    [Fact]
    public void ReservedOutputTokens_Embeddings_None()
    {
        Assert.Equal(0, Inspector.ReservedOutputTokens(Request(operation: Operation.Embeddings), Model(8192, 2000), 1024));
    }

    [Fact]
    public void StorageDefault_IsAChatReplyNotAWholeOutputLimit()
    {
        Assert.Equal(1024, new StorageConfig().DefaultReservedOutputTokens);
    }

    [Fact]
    public void Combine_ReservedOutputTokens_MostSpecificLevelWins()
    {
        var org = new TenantPolicy { ReservedOutputTokens = 4000 };
        var team = new TenantPolicy { ReservedOutputTokens = 500 };

        var withKey = EffectivePolicy.Combine((TenantLevel.Organisation, "o", "acme", org), (TenantLevel.Team, "t", "search", team), (TenantLevel.Key, "k", "svc", new TenantPolicy { ReservedOutputTokens = 64 }));
        var withoutKey = EffectivePolicy.Combine((TenantLevel.Organisation, "o", "acme", org), (TenantLevel.Team, "t", "search", team), (TenantLevel.Key, "k", "svc", TenantPolicy.None));

        Assert.Equal(64, withKey.ReservedOutputTokens);
        Assert.Equal(500, withoutKey.ReservedOutputTokens);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000_001)]
    public void PolicyError_ReservedOutputTokensOutOfRange_Named(int tokens)
    {
        Assert.Contains("reserved_output_tokens", TenancyAdmin.PolicyError(new TenantPolicy { ReservedOutputTokens = tokens }), StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyJson_HasNoComputedFields()
    {
        var json = TenancyCodec.WritePolicy(new TenantPolicy { BudgetDailyUsd = 5m, RequestsPerMinute = 60, ReservedOutputTokens = 256 });

        Assert.Equal("""{"budget_daily_usd":5,"requests_per_minute":60,"reserved_output_tokens":256}""", json);
        Assert.Equal(256, TenancyCodec.ReadPolicy(json).ReservedOutputTokens);
        // Policies stored before the computed fields were hidden still read.
        Assert.Equal(5m, TenancyCodec.ReadPolicy("""{"budget_daily_usd":5,"has_budget":true,"has_rate_limit":false}""").BudgetDailyUsd);
    }
}
