using Switchyard.Core.Snapshot;
using Xunit;

namespace Switchyard.Core.Tests.Configuration;

public sealed class ResilienceConfigTests
{
    private const string Base = """
        providers:
          sim: { type: simulated }
        deployments:
          - { id: a, provider: sim, model: m }
          - { id: b, provider: sim, model: m }
        models:
          m: {}
        """;

    [Fact]
    public void Load_ResilienceSection_DefaultsThenPerDeploymentOverrides()
    {
        var (config, errors) = ConfigLoader.Load(Base + """

            resilience:
              load_balancing: least_outstanding
              defaults:
                max_retries: 2
                requests_per_minute: 600
                first_token_timeout: 5s
                breaker: { consecutive_failures: 4, break_duration: 10s }
              deployments:
                b:
                  timeout: 750ms
                  max_concurrency: 8
                  requests_per_minute: 30
                  tokens_per_minute: 90000
                  probe_interval: 15s
                  breaker: { failure_ratio: 0.25 }
              retry_budget: { ratio: 0.1, min_retries: 3, window: 20s }
              models:
                m: { load_balancing: p2c_latency }
            """, "test.yaml");

        Assert.Empty(errors);
        var r = config.Resilience;
        Assert.Equal(LoadBalancing.PowerOfTwoLatency, r.LoadBalancingFor("m"));
        Assert.Equal(LoadBalancing.LeastOutstanding, r.LoadBalancingFor("other"));
        var a = r.PolicyFor("a");
        Assert.Equal(2, a.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(5), a.FirstTokenTimeout);
        Assert.Equal(4, a.BreakerConsecutiveFailures);
        Assert.Null(a.MaxConcurrency);
        Assert.Equal(600, a.RequestsPerMinute);
        var b = r.PolicyFor("b");
        Assert.Equal(2, b.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(750), b.Timeout);
        Assert.Equal(8, b.MaxConcurrency);
        Assert.Equal(30, b.RequestsPerMinute);
        Assert.Equal(90_000, b.TokensPerMinute);
        Assert.Null(a.TokensPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(15), b.ProbeInterval);
        Assert.Equal(0.25, b.BreakerFailureRatio);
        Assert.Equal(4, b.BreakerConsecutiveFailures);
        Assert.Equal(TimeSpan.FromSeconds(10), b.BreakDuration);
        Assert.Equal(new RetryBudgetSettings { Ratio = 0.1, MinRetries = 3, Window = TimeSpan.FromSeconds(20) }, r.RetryBudget);
    }

    [Fact]
    public void Load_NoResilienceSection_Defaults()
    {
        var (config, errors) = ConfigLoader.Load(Base, "test.yaml");

        Assert.Empty(errors);
        Assert.Equal(new ResiliencePolicy(), config.Resilience.PolicyFor("a"));
        Assert.Equal(LoadBalancing.Weighted, config.Resilience.LoadBalancingFor("m"));
    }

    [Theory]
    [InlineData("  deployments:\n    nope: { max_retries: 1 }", "resilience.deployments.nope", "no deployment with id 'nope'", 10)]
    [InlineData("  models:\n    nope: { load_balancing: weighted }", "resilience.models.nope", "no model named 'nope'", 10)]
    [InlineData("  load_balancing: round_robin", "resilience.load_balancing", "must be one of weighted, least_outstanding, p2c_latency", 9)]
    [InlineData("  defaults:\n    max_retrys: 2", "resilience.defaults.max_retrys", "unknown key", 10)]
    [InlineData("  defaults:\n    requests_per_minute: 0", "resilience.defaults.requests_per_minute", "between 1 and", 10)]
    [InlineData("  defaults:\n    breaker: { failure_ratio: 2 }", "resilience.defaults.breaker.failure_ratio", "between 0.01 and 1", 10)]
    [InlineData("  defaults:\n    retry_base_delay: 2s\n    retry_max_delay: 1s", "resilience.defaults.retry_max_delay", "must not be shorter", 11)]
    public void Load_BadResilience_ErrorWithLineAndPath(string section, string path, string message, int line)
    {
        var (_, errors) = ConfigLoader.Load(Base + "\nresilience:\n" + section + "\n", "test.yaml");

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
        Assert.Equal("test.yaml", error.File);
    }
}
