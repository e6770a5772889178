/**
 * A loopback mock of the OpenAI Responses API for one scripted `codex exec` turn: the first
 * request is answered (SSE) with `response.created`, a `function_call` item named
 * `exec_command` (`{cmd, yield_time_ms}`), and `response.completed`; the next request carries
 * that call's `function_call_output` (the observation), and the mock ends the turn with an
 * assistant message. Further tool calls (`write_stdin` polls) can be scripted per case. Any
 * other path gets 404. Loopback only; `stop()` closes every socket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ToolCall {
  name: 'exec_command' | 'write_stdin';
  arguments: Record<string, unknown>;
}

export interface ToolOutput {
  /** Ms since the mock started, when the request carrying it arrived. */
  t: number;
  callId: string;
  /** The text codex sent back to the model. */
  text: string;
}

export interface MockModel {
  /** `http://127.0.0.1:P/v1`: the provider's base_url. */
  baseUrl: string;
  /** Every function_call_output codex sent, in order. */
  outputs: ToolOutput[];
  /** Every request path (for errors: what codex asked). */
  requests: string[];
  /** True once the mock sent the assistant message that ends the turn. */
  finished(): boolean;
  stop(): Promise<void>;
}

const sse = (res: ServerResponse, events: Array<Record<string, unknown>>): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
  res.end();
};

const usage = { input_tokens: 0, input_tokens_details: null, output_tokens: 0, output_tokens_details: null, total_tokens: 0 };

/** The function_call_output items of a request body, whatever shape their output has. */
export function toolOutputsOf(body: unknown): Array<{ callId: string; text: string }> {
  const input = (body as { input?: unknown } | null)?.input;
  if (!Array.isArray(input)) return [];
  const out: Array<{ callId: string; text: string }> = [];
  for (const item of input as Array<Record<string, unknown>>) {
    if (item?.type !== 'function_call_output') continue;
    const o = item.output;
    const text =
      typeof o === 'string'
        ? o
        : Array.isArray(o)
          ? (o as Array<Record<string, unknown>>).map((p) => (typeof p.text === 'string' ? p.text : '')).join('')
          : typeof (o as Record<string, unknown> | null)?.content === 'string'
            ? String((o as Record<string, unknown>).content)
            : JSON.stringify(o);
    out.push({ callId: String(item.call_id), text });
  }
  return out;
}

/**
 * Serves the turn. `calls` are the tool calls in order (the first is exec_command); `next`
 * may add a call after seeing an output (a `write_stdin` poll while the process still runs).
 */
export async function startMockModel(opts: {
  calls: ToolCall[];
  next?(output: ToolOutput, callsSoFar: number): ToolCall | undefined;
  now(): number;
}): Promise<MockModel> {
  const calls = [...opts.calls];
  const outputs: ToolOutput[] = [];
  const requests: string[] = [];
  const seen = new Set<string>();
  let sent = 0;
  let done = false;
  const sockets = new Set<Socket>();
  const answer = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    requests.push(`${req.method} ${req.url}`);
    if (req.method !== 'POST' || !/\/v1\/responses$/.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `mock: no route ${req.method} ${req.url}` } }));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    for (const o of toolOutputsOf(body)) {
      if (seen.has(o.callId)) continue;
      seen.add(o.callId);
      const out = { t: opts.now(), ...o };
      outputs.push(out);
      const more = opts.next?.(out, sent);
      if (more) calls.push(more);
    }
    const id = `resp_${requests.length}`;
    const call = calls[sent];
    if (call && !done) {
      sent += 1;
      sse(res, [
        { type: 'response.created', response: { id } },
        {
          type: 'response.output_item.done',
          item: { type: 'function_call', id: `fc_${sent}`, call_id: `call_${sent}`, name: call.name, arguments: JSON.stringify(call.arguments) },
        },
        { type: 'response.completed', response: { id, usage } },
      ]);
      return;
    }
    done = true;
    sse(res, [
      { type: 'response.created', response: { id } },
      {
        type: 'response.output_item.done',
        item: { type: 'message', role: 'assistant', id: `msg_${requests.length}`, content: [{ type: 'output_text', text: 'done' }] },
      },
      { type: 'response.completed', response: { id, usage } },
    ]);
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => answer(req, res, raw));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    outputs,
    requests,
    finished: () => done,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
