/** Test helpers: an agent context, and small real HTTP/SMTP servers on 127.0.0.1:0. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type AgentContext, type AgentPlugin, noopLogger } from "@tandem/core";
import { SMTPServer } from "smtp-server";

export function ctx(overrides: Partial<AgentContext> = {}): AgentContext {
  return {
    workflowId: "wf1",
    stepId: "s2",
    attempt: 1,
    idempotencyKey: "wf1:s2",
    signal: new AbortController().signal,
    logger: noopLogger,
    variables: {},
    ...overrides,
  };
}

/** Runs an action of a plugin, parsing args with its schema first (as the engine does). */
export async function runAction(plugin: AgentPlugin, action: string, args: unknown, context = ctx()): Promise<unknown> {
  const def = plugin.actions[action]!;
  const parsed = def.args ? def.args.parse(args) : args;
  return def.run(parsed, context);
}

export async function httpServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const server: Server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A fake SearXNG: `/search?q=..&format=json` answers two results mentioning the query. */
export function fakeSearxng() {
  const queries: string[] = [];
  return {
    queries,
    start: () =>
      httpServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        if (url.pathname !== "/search" || url.searchParams.get("format") !== "json") {
          res.writeHead(404).end();
          return;
        }
        const q = url.searchParams.get("q") ?? "";
        queries.push(q);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            query: q,
            results: [
              { title: `${q}: first story`, url: "https://news.example/1", content: "The first snippet", engine: "x" },
              {
                title: `${q}: second story`,
                url: "https://news.example/2",
                content: "The second snippet",
                engine: "y",
              },
            ],
          }),
        );
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server (smtp-server) that keeps every message it receives. */
export async function smtpSink(): Promise<{ url: string; mails: ReceivedMail[]; close: () => Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise((r) => server.close(() => r())) };
}
