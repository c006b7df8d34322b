using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Core.Model;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Benchmarks;

/// <summary>
/// Anthropic client → OpenAI-style upstream (issue 3): parsing a Claude-Code-like request, writing the OpenAI body
/// from it, and translating a whole OpenAI chunk stream into Anthropic events.
/// </summary>
[MemoryDiagnoser]
public class AnthropicBenchmarks
{
    private const string Body = """
        {"model":"claude-sonnet","max_tokens":4096,"stream":true,"metadata":{"user_id":"user_abc"},
         "system":[{"type":"text","text":"You are a coding agent. Use the tools to read and edit files.","cache_control":{"type":"ephemeral"}}],
         "messages":[
          {"role":"user","content":[{"type":"text","text":"Fix the failing test in src/app.ts."}]},
          {"role":"assistant","content":[{"type":"text","text":"Reading the file."},{"type":"tool_use","id":"toolu_01","name":"read_file","input":{"path":"src/app.ts"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"export const add = (a: number, b: number) => a - b;\n"}]}],
         "tools":[{"name":"read_file","description":"Read a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}},
                  {"name":"write_file","description":"Write a file","input_schema":{"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}},"required":["path","content"]}}],
         "tool_choice":{"type":"auto"}}
        """;

    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private byte[] _body = [];
    private CanonicalRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes(Body);
        _request = AnthropicRequestParser.ParseMessages(_body).Request!;
    }

    /// <summary>The floor: tokenising the same bytes with <see cref="Utf8JsonReader"/> and keeping nothing.</summary>
    [Benchmark(Baseline = true)]
    public int TokenizeOnly()
    {
        var reader = new Utf8JsonReader(_body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public CanonicalRequest? ParseMessages() => AnthropicRequestParser.ParseMessages(_body).Request;

    [Benchmark]
    public int WriteOpenAIRequest()
    {
        _output.ResetWrittenCount();
        OpenAIRequestWriter.Write(_request, "qwen2.5-coder-32b", streamUsage: true, _output);
        return _output.WrittenCount;
    }
}
