using System.Text;
using System.Text.Json;
using Switchyard.Providers.Anthropic;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Providers.Tests.Anthropic;

/// <summary>
/// Every field Anthropic's Messages schema allows on a request (shared/data/specs/anthropic-messages.schema.json,
/// from the official TypeScript SDK's types) is accepted at the door: translated, accepted without effect, or kept
/// for an Anthropic upstream only (recorded as untranslatable: any other upstream refuses the request naming it).
/// The table is checked against the schema, so a field the schema gains fails here until it is handled.
/// </summary>
public sealed class AnthropicRequestFieldsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Hi = """{"role":"user","content":"Hi"}""";
    private const string Tool = """{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}""";
    private const string Png = """{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}""";

    private static string Image(string extra = "") => """{"type":"image","source":""" + Png + extra + "}";

    private static string Body(string fields, string messages = Hi) => $$$$"""{"model":"m","max_tokens":16,"messages":[{{{{messages}}}}]{{{{fields}}}}}""";

    private static string UserBlock(string block) => Body("", $$$$"""{"role":"user","content":[{{{{block}}}}]}""");

    private static string ToolUse(string extra) =>
        Body("", $$$$"""{{{{Hi}}}},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}{{{{extra}}}}}]}""");

    private static string ToolResult(string extra) =>
        Body("", $$$$"""{{{{Hi}}}},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1"{{{{extra}}}}}]}""");

    private static string WithTool(string extra) => Body($$$$""","tools":[{"name":"get_weather","input_schema":{"type":"object"}{{{{extra}}}}}]""");

    /// <summary>(schema definition, field, a request using it, the path kept for an Anthropic upstream only, or null when any upstream gets it).</summary>
    private static readonly (string Definition, string Field, string Body, string? AnthropicOnly)[] _rows =
    [
        ("MessageCreateParamsBase", "model", Body(""), null),
        ("MessageCreateParamsBase", "messages", Body(""), null),
        ("MessageCreateParamsBase", "max_tokens", Body(""), null),
        ("MessageCreateParamsBase", "max_tokens", Body("").Replace("\"max_tokens\":16", "\"max_tokens\":0", StringComparison.Ordinal), "max_tokens"),
        ("MessageCreateParamsBase", "cache_control", Body(""","cache_control":{"type":"ephemeral","ttl":"1h"}"""), null),
        ("MessageCreateParamsBase", "container", Body(""","container":"container_1" """), "container"),
        ("MessageCreateParamsBase", "container", Body(""","container":null"""), null),
        ("MessageCreateParamsBase", "diagnostics", Body(""","diagnostics":{"previous_message_id":"msg_1"}"""), "diagnostics"),
        ("MessageCreateParamsBase", "diagnostics", Body(""","diagnostics":null"""), null),
        ("MessageCreateParamsBase", "inference_geo", Body(""","inference_geo":"us" """), "inference_geo"),
        ("MessageCreateParamsBase", "inference_geo", Body(""","inference_geo":null"""), null),
        ("MessageCreateParamsBase", "metadata", Body(""","metadata":{"user_id":"u-1"}"""), null),
        ("MessageCreateParamsBase", "output_config", Body(""","output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}"""), null),
        ("MessageCreateParamsBase", "output_config", Body(""","output_config":{"effort":"high"}"""), "output_config.effort"),
        ("MessageCreateParamsBase", "service_tier", Body(""","service_tier":"auto" """), null),
        ("MessageCreateParamsBase", "service_tier", Body(""","service_tier":"standard_only" """), "service_tier"),
        ("MessageCreateParamsBase", "speed", Body(""","speed":"standard" """), null),
        ("MessageCreateParamsBase", "speed", Body(""","speed":"fast" """), "speed"),
        ("MessageCreateParamsBase", "stop_sequences", Body(""","stop_sequences":["END"]"""), null),
        ("MessageCreateParamsBase", "stream", Body(""","stream":true"""), null),
        ("MessageCreateParamsBase", "system", Body(""","system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"},"citations":null}]"""), null),
        ("MessageCreateParamsBase", "temperature", Body(""","temperature":0.5"""), null),
        ("MessageCreateParamsBase", "top_k", Body(""","top_k":40"""), null),
        ("MessageCreateParamsBase", "top_p", Body(""","top_p":0.9"""), null),
        ("MessageCreateParamsBase", "thinking", Body(""","thinking":{"type":"disabled"}"""), null),
        ("MessageCreateParamsBase", "thinking", Body(""","thinking":{"type":"adaptive","display":"summarized"}"""), "thinking"),
        ("MessageCreateParamsBase", "tools", Body($$$$""","tools":[{{{{Tool}}}}]"""), null),
        ("MessageCreateParamsBase", "tool_choice", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"auto"}"""), null),
        // Header parameters of the SDK (sent as headers); in a body they reach an Anthropic upstream as sent.
        ("MessageCreateParamsBase", "user_profile_id", Body(""","user_profile_id":"up_1" """), "user_profile_id"),
        ("MessageCreateParamsBase", "workspace_id", Body(""","workspace_id":"wrkspc_1" """), "workspace_id"),
        ("UserMessageParam", "role", Body(""), null),
        ("UserMessageParam", "content", Body(""), null),
        ("AssistantMessageParam", "role", Body("", $$$$"""{{{{Hi}}}},{"role":"assistant","content":"Hello"}"""), null),
        ("AssistantMessageParam", "content", Body("", $$$$"""{{{{Hi}}}},{"role":"assistant","content":[{"type":"text","text":"Hello"}]}"""), null),
        ("SystemMessageParam", "role", Body("", $$$$"""{"role":"system","content":"Be brief."},{{{{Hi}}}}"""), null),
        ("SystemMessageParam", "content", Body("", $$$$"""{"role":"system","content":[{"type":"text","text":"Be brief."}]},{{{{Hi}}}}"""), null),
        ("TextBlockParam", "text", UserBlock("""{"type":"text","text":"Hi"}"""), null),
        ("TextBlockParam", "type", UserBlock("""{"text":"Hi","type":"text"}"""), null),
        ("TextBlockParam", "cache_control", UserBlock("""{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}"""), null),
        ("TextBlockParam", "citations", UserBlock("""{"type":"text","text":"Hi","citations":[]}"""), null),
        ("TextBlockParam", "citations", UserBlock("""{"type":"text","text":"Hi","citations":[{"type":"char_location","cited_text":"x","document_index":0,"document_title":null,"start_char_index":0,"end_char_index":1}]}"""), "messages.0.content.0.citations"),
        ("ImageBlockParam", "source", UserBlock(Image()), null),
        ("ImageBlockParam", "type", UserBlock("""{"source":{"type":"url","url":"https://example.com/a.png"},"type":"image"}"""), null),
        ("ImageBlockParam", "cache_control", UserBlock(Image(""","cache_control":{"type":"ephemeral"}""")), null),
        ("ImageBlockParam", "transformations", UserBlock(Image(""","transformations":{}""")), null),
        ("ImageBlockParam", "transformations", UserBlock(Image(""","transformations":{"oversized_image":"error"}""")), "messages.0.content.0.transformations"),
        ("ImageTransformationsParam", "oversized_image", UserBlock(Image(""","transformations":{"oversized_image":"downsize"}""")), "messages.0.content.0.transformations"),
        ("Base64ImageSource", "type", UserBlock(Image()), null),
        ("Base64ImageSource", "media_type", UserBlock(Image()), null),
        ("Base64ImageSource", "data", UserBlock(Image()), null),
        ("URLImageSource", "type", UserBlock("""{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}"""), null),
        ("URLImageSource", "url", UserBlock("""{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}"""), null),
        ("FileImageSource", "type", UserBlock("""{"type":"image","source":{"type":"file","file_id":"file_1"}}"""), "messages.0.content.0.source"),
        ("FileImageSource", "file_id", UserBlock("""{"type":"image","source":{"file_id":"file_1","type":"file"}}"""), "messages.0.content.0.source"),
        ("ToolUseBlockParam", "id", ToolUse(""), null),
        ("ToolUseBlockParam", "input", ToolUse(""), null),
        ("ToolUseBlockParam", "name", ToolUse(""), null),
        ("ToolUseBlockParam", "type", Body("", $$$$"""{{{{Hi}}}},{"role":"assistant","content":[{"id":"toolu_1","caller":{"type":"direct"},"input":{},"name":"get_weather","type":"tool_use"}]}"""), null),
        ("ToolUseBlockParam", "cache_control", ToolUse(""","cache_control":{"type":"ephemeral"}"""), null),
        ("ToolUseBlockParam", "caller", ToolUse(""","caller":{"type":"direct"}"""), null),
        ("ToolUseBlockParam", "caller", ToolUse(""","caller":{"type":"code_execution_20250825","tool_id":"srvtoolu_1"}"""), "messages.1.content.0.caller"),
        ("ToolUseBlockParam", "toolset_name", ToolUse(""","toolset_name":null"""), null),
        ("ToolUseBlockParam", "toolset_name", ToolUse(""","toolset_name":"browser" """), "messages.1.content.0.toolset_name"),
        ("DirectCaller", "type", ToolUse(""","caller":{"type":"direct"}"""), null),
        ("ServerToolCaller", "type", ToolUse(""","caller":{"type":"code_execution_20250825","tool_id":"srvtoolu_1"}"""), "messages.1.content.0.caller"),
        ("ServerToolCaller", "tool_id", ToolUse(""","caller":{"tool_id":"srvtoolu_1","type":"code_execution_20250825"}"""), "messages.1.content.0.caller"),
        ("ServerToolCaller20260120", "type", ToolUse(""","caller":{"type":"code_execution_20260120","tool_id":"srvtoolu_1"}"""), "messages.1.content.0.caller"),
        ("ServerToolCaller20260120", "tool_id", ToolUse(""","caller":{"type":"code_execution_20260120","tool_id":"srvtoolu_1"}"""), "messages.1.content.0.caller"),
        ("ToolResultBlockParam", "tool_use_id", ToolResult(""), null),
        ("ToolResultBlockParam", "type", ToolResult(""), null),
        ("ToolResultBlockParam", "content", ToolResult(""","content":"21°C" """), null),
        ("ToolResultBlockParam", "content", ToolResult(""","content":[{"type":"text","text":"21°C","citations":null}]"""), null),
        ("ToolResultBlockParam", "content", ToolResult(""","content":[""" + Image() + "]"), "messages.2.content.0.content.0"),
        ("ToolResultBlockParam", "content", ToolResult(""","content":[{"type":"tool_reference","tool_name":"get_weather"}]"""), "messages.2.content.0.content.0"),
        ("ToolResultBlockParam", "content", ToolResult(""","content":[{"type":"search_result","source":"https://example.com","title":"T","content":[{"type":"text","text":"x"}]}]"""), "messages.2.content.0.content.0"),
        ("ToolResultBlockParam", "is_error", ToolResult(""","is_error":true,"content":"boom" """), null),
        ("ToolResultBlockParam", "cache_control", ToolResult(""","cache_control":{"type":"ephemeral"}"""), null),
        ("ToolResultBlockParam", "toolset_name", ToolResult(""","toolset_name":"browser" """), "messages.2.content.0.toolset_name"),
        ("Tool", "name", WithTool(""), null),
        ("Tool", "input_schema", WithTool(""), null),
        ("Tool", "description", WithTool(""","description":"Weather of a city" """), null),
        ("Tool", "strict", WithTool(""","strict":true"""), null),
        ("Tool", "type", WithTool(""","type":"custom" """), null),
        ("Tool", "cache_control", WithTool(""","cache_control":{"type":"ephemeral"}"""), null),
        ("Tool", "eager_input_streaming", WithTool(""","eager_input_streaming":true"""), null),
        ("Tool", "allowed_callers", WithTool(""","allowed_callers":["direct","code_execution_20250825"]"""), null),
        ("Tool", "allowed_callers", WithTool(""","allowed_callers":["code_execution_20250825"]"""), "tools.0.allowed_callers"),
        ("Tool", "defer_loading", WithTool(""","defer_loading":false"""), null),
        ("Tool", "defer_loading", WithTool(""","defer_loading":true"""), "tools.0.defer_loading"),
        ("Tool", "input_examples", WithTool(""","input_examples":[]"""), null),
        ("Tool", "input_examples", WithTool(""","input_examples":[{"city":"Paris"},{"city":"Oslo"}]"""), "tools.0.input_examples"),
        ("ToolUnion", "web_search_20250305", Body(""","tools":[{"name":"web_search","max_uses":3,"type":"web_search_20250305"}],"tool_choice":{"type":"tool","name":"web_search"}"""), "tools.0"),
        ("ToolChoiceAuto", "type", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"auto"}"""), null),
        ("ToolChoiceAuto", "disable_parallel_tool_use", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true}"""), null),
        ("ToolChoiceAny", "type", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"any"}"""), null),
        ("ToolChoiceAny", "disable_parallel_tool_use", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"any","disable_parallel_tool_use":false}"""), null),
        ("ToolChoiceTool", "type", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"tool","name":"get_weather"}"""), null),
        ("ToolChoiceTool", "name", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"name":"get_weather","type":"tool"}"""), null),
        ("ToolChoiceTool", "disable_parallel_tool_use", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}"""), null),
        ("ToolChoiceNone", "type", Body($$$$""","tools":[{{{{Tool}}}}],"tool_choice":{"type":"none"}"""), null),
        ("Metadata", "user_id", Body(""","metadata":{"user_id":null}"""), null),
        ("CacheControlEphemeral", "type", Body(""","cache_control":{"type":"ephemeral"}"""), null),
        ("CacheControlEphemeral", "ttl", UserBlock("""{"type":"text","text":"Hi","cache_control":{"type":"ephemeral","ttl":"5m"}}"""), null),
        ("OutputConfig", "format", Body(""","output_config":{"format":null}"""), null),
        ("OutputConfig", "effort", Body(""","output_config":{"effort":null}"""), null),
        ("JSONOutputFormat", "type", Body(""","output_config":{"format":{"schema":{"type":"object"},"type":"json_schema"}}"""), null),
        ("JSONOutputFormat", "schema", Body(""","output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}"""), null),
        ("ThinkingConfigDisabled", "type", Body(""","thinking":{"type":"disabled"}"""), null),
        ("ThinkingConfigEnabled", "type", Body(""","thinking":{"type":"enabled","budget_tokens":1024}"""), "thinking"),
        ("ThinkingConfigEnabled", "budget_tokens", Body(""","thinking":{"budget_tokens":1024,"type":"enabled"}"""), "thinking"),
        ("ThinkingConfigEnabled", "display", Body(""","thinking":{"type":"enabled","budget_tokens":1024,"display":"omitted"}"""), "thinking"),
        ("ThinkingConfigAdaptive", "type", Body(""","thinking":{"type":"adaptive"}"""), "thinking"),
        ("ThinkingConfigAdaptive", "display", Body(""","thinking":{"type":"adaptive","display":null}"""), "thinking"),
        ("ThinkingConfigBetweenTools", "type", Body(""","thinking":{"type":"between_tools"}"""), "thinking"),
        ("DiagnosticsParam", "previous_message_id", Body(""","diagnostics":{"previous_message_id":null}"""), "diagnostics"),
    ];

    public static TheoryData<string, string, string, string?> Fields()
    {
        var data = new TheoryData<string, string, string, string?>();
        foreach (var (definition, field, body, anthropicOnly) in _rows)
        {
            data.Add(definition, field, body, anthropicOnly);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Parse_EveryFieldTheSchemaAllows_AcceptedOrKeptForAnAnthropicUpstream(string definition, string field, string body, string? anthropicOnly)
    {
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).DescribeRequest(body));

        var (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(body));

        Assert.True(error is null, $"{definition}.{field}: {error?.Message}");
        Assert.Equal(anthropicOnly is null ? [] : [anthropicOnly], request!.Untranslatable.Select(u => u.Path));
    }

    [Theory]
    [InlineData("MessageCreateParamsBase")]
    [InlineData("UserMessageParam")]
    [InlineData("AssistantMessageParam")]
    [InlineData("SystemMessageParam")]
    [InlineData("TextBlockParam")]
    [InlineData("ImageBlockParam")]
    [InlineData("ImageTransformationsParam")]
    [InlineData("Base64ImageSource")]
    [InlineData("URLImageSource")]
    [InlineData("FileImageSource")]
    [InlineData("ToolUseBlockParam")]
    [InlineData("DirectCaller")]
    [InlineData("ServerToolCaller")]
    [InlineData("ServerToolCaller20260120")]
    [InlineData("ToolResultBlockParam")]
    [InlineData("Tool")]
    [InlineData("ToolChoiceAuto")]
    [InlineData("ToolChoiceAny")]
    [InlineData("ToolChoiceTool")]
    [InlineData("ToolChoiceNone")]
    [InlineData("Metadata")]
    [InlineData("CacheControlEphemeral")]
    [InlineData("OutputConfig")]
    [InlineData("JSONOutputFormat")]
    [InlineData("ThinkingConfigDisabled")]
    [InlineData("ThinkingConfigEnabled")]
    [InlineData("ThinkingConfigAdaptive")]
    [InlineData("ThinkingConfigBetweenTools")]
    [InlineData("DiagnosticsParam")]
    public void FieldTable_CoversEveryPropertyOfTheSchemaDefinition(string definition)
    {
        var covered = _rows.Where(r => r.Definition == definition).Select(r => r.Field).ToHashSet();

        var missing = SchemaProperties(definition).Where(p => !covered.Contains(p)).ToList();

        Assert.True(missing.Count == 0, $"{definition}: no row for {string.Join(", ", missing)}");
    }

    [Fact]
    public void UntranslatableBlocks_EveryOtherBlockTypeOfTheSchema()
    {
        string[] translated = ["text", "image", "tool_use", "tool_result"];
        var schemaTypes = UnionTypes("ContentBlockParam").Concat(UnionTypes("ToolResultBlockParam", "content")).Distinct().Where(t => !translated.Contains(t));

        Assert.Equal(schemaTypes.Order(), AnthropicRequestParser.UntranslatableBlocks.Order());
    }

    [Theory]
    [InlineData("""{"type":"thinking","thinking":"Let me see.","signature":"sig"}""")]
    [InlineData("""{"signature":"sig","thinking":"Let me see.","type":"thinking"}""")]
    [InlineData("""{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"x"},"caller":{"type":"direct"}}""")]
    [InlineData("""{"content":[],"tool_use_id":"srvtoolu_1","type":"web_search_tool_result"}""")]
    public void Parse_AnthropicOnlyBlockInAnyFieldOrder_KeptForAnAnthropicUpstream(string block)
    {
        var body = Body("", $$$$"""{{{{Hi}}}},{"role":"assistant","content":[{{{{block}}}},{"type":"text","text":"Done."}]}""");

        var (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(body));

        Assert.Null(error);
        Assert.Equal(["messages.1.content.0"], request!.Untranslatable.Select(u => u.Path));
    }

    [Theory]
    [InlineData("""{"type":"text","text":"Hi","caller":{"type":"direct"}}""", "messages.0.content.0.caller: Extra inputs are not permitted")]
    [InlineData("""{"text":"Hi","colour":"red","type":"text"}""", "messages.0.content.0.colour: Extra inputs are not permitted")]
    [InlineData("""{"type":"text","text":"Hi","citations":"none"}""", "messages.0.content.0.citations: Input should be a valid list")]
    [InlineData("""{"type":"image","source":{"type":"url","url":"https://x/y.png"},"transformations":"small"}""", "messages.0.content.0.transformations: Input should be a valid dictionary")]
    public void Parse_FieldTheSchemaDoesNotAllowThere_400NamingIt(string block, string expected)
    {
        var (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(UserBlock(block)));

        Assert.Null(request);
        Assert.StartsWith(expected, error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(""","caller":{}""", "messages.1.content.0.caller.type: Field required")]
    [InlineData(""","caller":{"type":"direct","tool_id":"x"}""", "messages.1.content.0.caller.tool_id: Extra inputs are not permitted")]
    [InlineData(""","toolset_name":5""", "messages.1.content.0.toolset_name: Input should be a valid string")]
    public void Parse_ToolUseFieldOfTheWrongShape_400NamingIt(string extra, string expected)
    {
        var (_, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(ToolUse(extra)));

        Assert.StartsWith(expected, error!.Message, StringComparison.Ordinal);
    }

    private static JsonElement Definitions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(AnthropicSchemas.SpecPath));
        return document.RootElement.GetProperty("definitions").Clone();
    }

    private static IEnumerable<string> SchemaProperties(string definition) =>
        Definitions().GetProperty(definition).GetProperty("properties").EnumerateObject().Select(p => p.Name);

    /// <summary>The <c>type</c> constants of the block definitions a union (or a property's array items) lists.</summary>
    private static IEnumerable<string> UnionTypes(string definition, string? property = null)
    {
        var definitions = Definitions();
        var union = definitions.GetProperty(definition);
        if (property is not null)
        {
            union = union.GetProperty("properties").GetProperty(property).GetProperty("anyOf").EnumerateArray()
                .First(a => a.TryGetProperty("items", out _)).GetProperty("items");
        }

        foreach (var member in union.GetProperty("anyOf").EnumerateArray())
        {
            var name = member.GetProperty("$ref").GetString()!.Split('/')[^1];
            yield return definitions.GetProperty(name).GetProperty("properties").GetProperty("type").GetProperty("const").GetString()!;
        }
    }
}
