namespace Switchyard.Testing;

/// <summary>Golden Anthropic-format requests and the OpenAI-format bodies the gateway must send upstream for them.</summary>
public static class AnthropicGolden
{
    /// <summary>Everything the Anthropic front door translates, in one conversation.</summary>
    public const string FullRequest = """
        {"model":"claude-sonnet","max_tokens":256,
         "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Answer in English."}],
         "messages":[
          {"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]},
          {"role":"assistant","content":[{"type":"text","text":"Let me check the weather."},{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_02","name":"get_weather","input":{"city":"Rome"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"21C"},{"type":"tool_result","tool_use_id":"toolu_02","content":[{"type":"text","text":"failed"}],"is_error":true},{"type":"text","text":"Thanks"}]}
         ],
         "tools":[{"name":"get_weather","description":"Weather of a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "stop_sequences":["END"],"metadata":{"user_id":"u-42"},"temperature":0.5,"top_p":0.9,"top_k":40}
        """;

    public const string FullRequestUpstream =
        """{"model":"gpt-4o-mini","messages":[""" +
        """{"role":"system","content":[{"type":"text","text":"You are terse."},{"type":"text","text":"Answer in English."}]},""" +
        """{"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]},""" +
        """{"role":"assistant","content":"Let me check the weather.","tool_calls":[{"id":"toolu_01","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"toolu_02","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},""" +
        """{"role":"tool","tool_call_id":"toolu_01","content":"21C"},""" +
        """{"role":"tool","tool_call_id":"toolu_02","content":"[tool error] failed"},""" +
        """{"role":"user","content":[{"type":"text","text":"Thanks"}]}],""" +
        "\"max_tokens\":256,\"temperature\":0.5,\"top_p\":0.9,\"top_k\":40,\"stop\":[\"END\"],\"user\":\"u-42\"," +
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]," +
        "\"tool_choice\":\"required\",\"parallel_tool_calls\":false}";
}
