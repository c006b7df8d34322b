// Smoke test: the official `openai` Node SDK, used unchanged, against a Switchyard gateway.
// Env: SWITCHYARD_BASE_URL (gateway base, without /v1), SWITCHYARD_API_KEY, and optionally
// SMOKE_CHAT_MODEL, SMOKE_EMBEDDING_MODEL, SMOKE_EXPECT_TEXT, SMOKE_EXPECT_PROMPT_TOKENS,
// SMOKE_EXPECT_COMPLETION_TOKENS, SMOKE_EXPECT_TOOL_ARGS (JSON). Exits non-zero on the first mismatch.
import OpenAI from 'openai';

const env = process.env;
const baseURL = (env.SWITCHYARD_BASE_URL ?? '').replace(/\/+$/, '') + '/v1';
const apiKey = env.SWITCHYARD_API_KEY;
const chatModel = env.SMOKE_CHAT_MODEL ?? 'gpt-4o-mini';
const embeddingModel = env.SMOKE_EMBEDDING_MODEL ?? 'text-embedding-3-small';
const expectText = env.SMOKE_EXPECT_TEXT;
const expectPrompt = env.SMOKE_EXPECT_PROMPT_TOKENS ? Number(env.SMOKE_EXPECT_PROMPT_TOKENS) : undefined;
const expectCompletion = env.SMOKE_EXPECT_COMPLETION_TOKENS ? Number(env.SMOKE_EXPECT_COMPLETION_TOKENS) : undefined;
const expectToolArgs = env.SMOKE_EXPECT_TOOL_ARGS ? JSON.parse(env.SMOKE_EXPECT_TOOL_ARGS) : undefined;

if (!env.SWITCHYARD_BASE_URL || !apiKey) {
  console.error('SWITCHYARD_BASE_URL and SWITCHYARD_API_KEY are required');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });

function check(condition, message, actual) {
  if (!condition) {
    throw new Error(`${message}${actual === undefined ? '' : ` (got ${JSON.stringify(actual)})`}`);
  }
}

function checkUsage(usage, where) {
  check(usage && Number.isInteger(usage.prompt_tokens) && Number.isInteger(usage.completion_tokens), `${where}: usage present`, usage);
  check(usage.total_tokens === usage.prompt_tokens + usage.completion_tokens, `${where}: total = prompt + completion`, usage);
  if (expectPrompt !== undefined) check(usage.prompt_tokens === expectPrompt, `${where}: prompt_tokens`, usage.prompt_tokens);
  if (expectCompletion !== undefined) check(usage.completion_tokens === expectCompletion, `${where}: completion_tokens`, usage.completion_tokens);
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
    strict: true,
  },
};
const timeTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
};

const steps = {
  async chat() {
    const completion = await client.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      temperature: 0.2,
    });
    const text = completion.choices[0]?.message?.content;
    check(typeof text === 'string' && text.length > 0, 'chat: content', text);
    if (expectText !== undefined) check(text === expectText, 'chat: content matches', text);
    check(completion.choices[0].finish_reason === 'stop', 'chat: finish_reason', completion.choices[0].finish_reason);
    checkUsage(completion.usage, 'chat');
  },

  async stream() {
    const stream = await client.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage;
    let finish;
    for await (const chunk of stream) {
      check(chunk.object === 'chat.completion.chunk', 'stream: chunk object', chunk.object);
      text += chunk.choices[0]?.delta?.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason ?? undefined;
      if (chunk.usage) usage = chunk.usage;
    }
    check(text.length > 0, 'stream: assembled text', text);
    if (expectText !== undefined) check(text === expectText, 'stream: assembled text matches', text);
    check(finish === 'stop', 'stream: finish_reason', finish);
    checkUsage(usage, 'stream');
  },

  async tools() {
    const completion = await client.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool, timeTool],
      tool_choice: 'required',
      parallel_tool_calls: true,
    });
    const choice = completion.choices[0];
    check(choice.finish_reason === 'tool_calls', 'tools: finish_reason', choice.finish_reason);
    const call = choice.message.tool_calls?.[0];
    check(call?.type === 'function' && typeof call.id === 'string' && call.id.length > 0, 'tools: tool call id/type', call);
    check(call.function.name === 'get_weather', 'tools: function name', call.function.name);
    const args = JSON.parse(call.function.arguments);
    if (expectToolArgs !== undefined) check(JSON.stringify(args) === JSON.stringify(expectToolArgs), 'tools: arguments', args);
    else check(typeof args.city === 'string', 'tools: arguments.city', args);

    // Streamed tool call, assembled by the SDK's own stream helper.
    const runner = client.chat.completions.stream({
      model: chatModel,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      stream_options: { include_usage: true },
    });
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0].message.tool_calls?.[0];
    check(streamed?.function?.name === 'get_weather', 'tools (stream): function name', streamed);
    check(JSON.stringify(JSON.parse(streamed.function.arguments)) === JSON.stringify(args), 'tools (stream): assembled arguments', streamed.function.arguments);
    check(final.choices[0].finish_reason === 'tool_calls', 'tools (stream): finish_reason', final.choices[0].finish_reason);
  },

  async json_schema() {
    const completion = await client.chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'The answer?' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          strict: true,
          schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
        },
      },
    });
    const parsed = JSON.parse(completion.choices[0].message.content);
    check(typeof parsed.answer === 'string', 'json_schema: answer', parsed);
  },

  async embeddings() {
    const result = await client.embeddings.create({ model: embeddingModel, input: ['first', 'second'], encoding_format: 'float' });
    check(result.object === 'list' && result.data.length === 2, 'embeddings: two vectors', result.data.length);
    check(result.data.every((d, i) => d.index === i && d.embedding.length > 0 && d.embedding.every((v) => typeof v === 'number')), 'embeddings: vectors', result.data);
    check(result.model === embeddingModel, 'embeddings: model', result.model);
    check(Number.isInteger(result.usage.prompt_tokens), 'embeddings: usage', result.usage);
  },

  async models() {
    const ids = [];
    for await (const model of client.models.list()) {
      check(model.object === 'model' && Number.isInteger(model.created) && typeof model.owned_by === 'string', 'models: entry shape', model);
      ids.push(model.id);
    }
    check(ids.includes(chatModel) && ids.includes(embeddingModel), 'models: list contains the models', ids);
    const one = await client.models.retrieve(chatModel);
    check(one.id === chatModel, 'models: retrieve', one);
  },

  async errors() {
    try {
      await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] });
      check(false, 'errors: unknown model must fail');
    } catch (error) {
      check(error instanceof OpenAI.NotFoundError, 'errors: NotFoundError', error?.constructor?.name);
      check(error.status === 404 && error.code === 'model_not_found', 'errors: status and code', { status: error.status, code: error.code });
    }
  },
};

let failed = 0;
for (const [name, step] of Object.entries(steps)) {
  try {
    await step();
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${error?.stack ?? error}`);
  }
}

console.log(failed === 0 ? 'all steps passed' : `${failed} step(s) failed`);
process.exit(failed === 0 ? 0 : 1);
