// Smoke test: the official `@anthropic-ai/sdk` Node SDK, used unchanged, against a Switchyard gateway's /v1/messages.
// Env: SWITCHYARD_BASE_URL (gateway base, without /v1), SWITCHYARD_API_KEY, and optionally SMOKE_CHAT_MODEL,
// SMOKE_EXPECT_TEXT, SMOKE_EXPECT_OUTPUT_TOKENS, SMOKE_EXPECT_TOOL_ARGS (JSON). Exits non-zero on the first mismatch.
import Anthropic from '@anthropic-ai/sdk';

const env = process.env;
const baseURL = (env.SWITCHYARD_BASE_URL ?? '').replace(/\/+$/, '');
const apiKey = env.SWITCHYARD_API_KEY;
const model = env.SMOKE_CHAT_MODEL ?? 'auto';
const expectText = env.SMOKE_EXPECT_TEXT;
const expectOutput = env.SMOKE_EXPECT_OUTPUT_TOKENS ? Number(env.SMOKE_EXPECT_OUTPUT_TOKENS) : undefined;
const expectToolArgs = env.SMOKE_EXPECT_TOOL_ARGS ? JSON.parse(env.SMOKE_EXPECT_TOOL_ARGS) : undefined;

if (!env.SWITCHYARD_BASE_URL || !apiKey) {
  console.error('SWITCHYARD_BASE_URL and SWITCHYARD_API_KEY are required');
  process.exit(2);
}

const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });

function check(condition, message, actual) {
  if (!condition) {
    throw new Error(`${message}${actual === undefined ? '' : ` (got ${JSON.stringify(actual)})`}`);
  }
}

function checkUsage(usage, where) {
  check(usage && Number.isInteger(usage.input_tokens) && Number.isInteger(usage.output_tokens), `${where}: usage present`, usage);
  if (expectOutput !== undefined) check(usage.output_tokens === expectOutput, `${where}: output_tokens`, usage.output_tokens);
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const steps = {
  async message() {
    const message = await client.messages.create({
      model,
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    check(message.type === 'message' && message.role === 'assistant', 'message: type and role', message);
    const text = message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
    check(text.length > 0, 'message: text', message.content);
    if (expectText !== undefined) check(text === expectText, 'message: text matches', text);
    check(message.stop_reason === 'end_turn', 'message: stop_reason', message.stop_reason);
    checkUsage(message.usage, 'message');
  },

  async stream() {
    const stream = client.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    let deltas = '';
    stream.on('text', (text) => { deltas += text; });
    const final = await stream.finalMessage();
    const text = final.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
    check(text.length > 0 && text === deltas, 'stream: assembled text equals the deltas', { text, deltas });
    if (expectText !== undefined) check(text === expectText, 'stream: text matches', text);
    check(final.stop_reason === 'end_turn', 'stream: stop_reason', final.stop_reason);
    checkUsage(final.usage, 'stream');
  },

  async tools() {
    const message = await client.messages.create({
      model,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
    check(message.stop_reason === 'tool_use', 'tools: stop_reason', message.stop_reason);
    const use = message.content.find((b) => b.type === 'tool_use');
    check(use && typeof use.id === 'string' && use.id.length > 0 && use.name === 'get_weather', 'tools: tool_use block', message.content);
    if (expectToolArgs !== undefined) check(JSON.stringify(use.input) === JSON.stringify(expectToolArgs), 'tools: input', use.input);
    else check(typeof use.input.city === 'string', 'tools: input.city', use.input);
  },

  async errors() {
    try {
      await client.messages.create({ model: 'no-such-model', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] });
      check(false, 'errors: unknown model must fail');
    } catch (error) {
      check(error instanceof Anthropic.NotFoundError, 'errors: NotFoundError', error?.constructor?.name);
      check(error.status === 404 && error.error?.type === 'error' && error.error?.error?.type === 'not_found_error', 'errors: status and type', { status: error.status, error: error.error });
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
