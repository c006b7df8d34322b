using System.Text;
using Switchyard.Core.Common;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Providers.Simulated;
namespace Switchyard.Benchmarks;

/// <summary>Deterministic inputs shared by the benchmark families.</summary>
internal static class BenchData
{
    public const string ClientKey = "sk-bench-client-key-0000000000000000";

    /// <summary>An OpenAI chat body of roughly <paramref name="targetBytes"/> bytes (a small one for anything under 512).</summary>
    public static byte[] ChatBody(int targetBytes, bool stream = false, string? streamOptions = null)
    {
        var sb = new StringBuilder();
        sb.Append("{\"model\":\"bench-model-0\",\"messages\":[");
        sb.Append("{\"role\":\"system\",\"content\":\"You are a terse assistant.\"}");
        var i = 0;
        var filler = "The quick brown fox jumps over the lazy dog; \\\"quoted\\\" text and unicode \\u00e9 survive. ";
        do
        {
            sb.Append(",{\"role\":\"").Append(i % 2 == 0 ? "user" : "assistant").Append("\",\"content\":\"");
            var chunk = 0;
            while (chunk < 900 && sb.Length < targetBytes - 120)
            {
                sb.Append(filler);
                chunk += filler.Length;
            }

            if (chunk == 0)
            {
                sb.Append("Say hello.");
            }

            sb.Append("\"}");
            i++;
        }
        while (sb.Length < targetBytes - 150);

        sb.Append("],\"temperature\":0.2,\"max_tokens\":256,\"metadata\":{\"trace\":\"abc\"}");
        if (stream)
        {
            sb.Append(",\"stream\":true");
        }

        if (streamOptions is not null)
        {
            sb.Append(",\"stream_options\":").Append(streamOptions);
        }

        sb.Append('}');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>
    /// A config of <paramref name="models"/> models, each with one simulated deployment (two for model 0), an
    /// alias <c>auto</c> over three models, and <paramref name="keys"/> client keys.
    /// </summary>
    public static GatewayConfig Config(int models, int keys = 1)
    {
        var modelConfigs = new List<ModelConfig>(models);
        var deployments = new List<DeploymentConfig>(models + 1);
        for (var m = 0; m < models; m++)
        {
            modelConfigs.Add(new ModelConfig
            {
                Name = $"bench-model-{m}",
                ContextWindow = 131_072,
                Price = new PriceOverride(0.1m, 0.2m, null, null),
            });
            deployments.Add(new DeploymentConfig { Id = $"dep-{m}-a", Provider = "sim", Model = $"bench-model-{m}", Zone = TrustZone.SelfHosted });
        }

        deployments.Add(new DeploymentConfig { Id = "dep-0-b", Provider = "sim", Model = "bench-model-0", Zone = TrustZone.External, Weight = 3 });
        var aliasTargets = Enumerable.Range(0, Math.Min(3, models)).Select(m => new AliasTarget($"bench-model-{m}", 10 * (m + 1))).ToList();
        var keyConfigs = Enumerable.Range(0, keys)
            .Select(k => new ClientKeyConfig { Name = $"key-{k}", Key = k == 0 ? ClientKey : $"sk-bench-other-{k:D8}", Team = "bench" })
            .ToList();
        return new GatewayConfig
        {
            Providers = [new ProviderConfig { Name = "sim", Type = "simulated", Zone = TrustZone.SelfHosted }],
            Models = modelConfigs,
            Deployments = deployments,
            Aliases = [new AliasConfig { Name = "auto", Targets = aliasTargets }],
            Keys = keyConfigs,
        };
    }

    public static RouteTable Compile(GatewayConfig config) =>
        new RouteTableCompiler([new SimulatedAdapterFactory(TimeProvider.System, FixedRandom.Instance)], TimeProvider.System, static _ => null).Compile(config);

    /// <summary>An SSE stream of <paramref name="chunks"/> OpenAI chat chunks, then a usage chunk and [DONE].</summary>
    public static byte[] SseStream(int chunks)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            sb.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model-0\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token")
                .Append(i).Append(" \"},\"finish_reason\":null}]}\n\n");
        }

        sb.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model-0\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":")
            .Append(chunks).Append(",\"total_tokens\":").Append(12 + chunks).Append(",\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n");
        sb.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static readonly byte[] CompletionJson = Encoding.UTF8.GetBytes(
        "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench-model-0\"," +
        "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today? This is a canned reply of moderate length.\",\"refusal\":null}," +
        "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":17,\"total_tokens\":36," +
        "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}},\"system_fingerprint\":\"fp_bench\"}");

    public static readonly byte[] ContentChunkJson = Encoding.UTF8.GetBytes(
        "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model-0\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}");
}

/// <summary>A deterministic random source so that weighted picks do not vary between runs.</summary>
internal sealed class FixedRandom : IRandomSource
{
    public static readonly FixedRandom Instance = new();

    public double NextDouble() => 0.5;
}
