/**
 * A real HTTP server on 127.0.0.1:0 that speaks enough of the Chat Completions protocol for the
 * tests: each POST `/v1/chat/completions` is recorded and answered by a script.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary request fields
  body: any;
}

/** How to answer one request. */
export type FakeReply =
  | JsonReply
  | ContentReply
  | { status: number; message: string; headers?: Record<string, string> }
  | { hang: true };
type JsonReply = { json: unknown; usage?: { prompt_tokens: number; completion_tokens: number } };
type ContentReply = { content: string | null; finish_reason?: string; refusal?: string | null };

export interface FakeOpenAIServer {
  /** Pass as `baseURL`. */
  baseURL: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

function completion(reply: JsonReply | ContentReply) {
  const content = "json" in reply ? JSON.stringify(reply.json) : reply.content;
  const usage = "json" in reply ? (reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 }) : undefined;
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: "fake-model",
    choices: [
      {
        index: 0,
        finish_reason: "finish_reason" in reply ? reply.finish_reason : "stop",
        logprobs: null,
        message: { role: "assistant", content, refusal: "refusal" in reply ? (reply.refusal ?? null) : null },
      },
    ],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  };
}

/** Starts the server; `script` answers request number `index` (0-based). */
export async function startFakeOpenAI(
  script: (body: ReceivedRequest["body"], index: number) => FakeReply | Promise<FakeReply>,
): Promise<FakeOpenAIServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? JSON.parse(text) : null;
    const index = requests.length;
    requests.push({ path: req.url ?? "", headers: req.headers, body });
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const reply = await script(body, index);
    if ("hang" in reply) return; // never answers; the client's timeout or abort must end it
    if ("status" in reply) {
      res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify({ error: { message: reply.message, type: "invalid_request_error", code: null } }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(reply)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
