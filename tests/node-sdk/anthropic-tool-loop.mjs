// Smoke test: the official `@anthropic-ai/sdk` Node SDK, used unchanged, against a Switchyard gateway.
// A tool-use loop the way Anthropic's docs write it: turn two sends turn one's `message.content` back as it came
// (tool_use blocks with their `caller`), plain and streamed, once per model.
// Env: SWITCHYARD_BASE_URL (gateway base, without /v1), SWITCHYARD_API_KEY, SMOKE_MODELS (comma-separated).
// Exits non-zero on the first mismatch.
import Anthropic from '@anthropic-ai/sdk';

const env = process.env;
const baseURL = (env.SWITCHYARD_BASE_URL ?? '').replace(/\/+$/, '');
const apiKey = env.SWITCHYARD_API_KEY;
const models = (env.SMOKE_MODELS ?? 'claude').split(',').filter(Boolean);

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

const tools = [
  {
    name: 'get_weather',
    description: 'Weather of a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

async function toolLoop(model, stream) {
  const where = `${model}${stream ? ' (stream)' : ''}`;
  const messages = [{ role: 'user', content: 'Weather in Paris?' }];
  const request = { model, max_tokens: 64, messages, tools, tool_choice: { type: 'any' } };
  const first = stream ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
  check(first.stop_reason === 'tool_use', `${where}: turn one stops for tool use`, first.stop_reason);
  const calls = first.content.filter((b) => b.type === 'tool_use');
  check(calls.length > 0, `${where}: turn one calls a tool`, first.content);
  check(calls.every((c) => c.caller?.type === 'direct'), `${where}: tool_use blocks name their caller`, calls);

  // The documented loop: the reply's content goes back as the assistant turn, unchanged.
  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: calls.map((c) => ({ type: 'tool_result', tool_use_id: c.id, content: '21°C and sunny' })) });
  const second = await client.messages.create({ model, max_tokens: 64, messages, tools });
  check(second.stop_reason === 'end_turn', `${where}: turn two ends the turn`, second.stop_reason);
  check(second.content.some((b) => b.type === 'text' && b.text.length > 0), `${where}: turn two answers in text`, second.content);
  console.log(`ok tool loop ${where}`);
}

try {
  for (const model of models) {
    await toolLoop(model, false);
    await toolLoop(model, true);
  }
  console.log('all steps passed');
} catch (error) {
  console.error(`FAILED: ${error?.status ?? ''} ${error?.message ?? error}`);
  process.exit(1);
}
