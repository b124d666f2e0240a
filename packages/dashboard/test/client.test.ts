import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, explain } from "../src/api/api-error";
import { createClient, type TokenStore } from "../src/api/client";

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  type: string | undefined;
  body: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A real HTTP server that records requests and answers with `reply`. */
async function serve(reply: (seen: Seen, res: ServerResponse) => void) {
  const log: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        auth: req.headers.authorization,
        type: req.headers["content-type"],
        body,
      };
      log.push(seen);
      reply(seen, res);
    });
  });
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  return { base, log };
}

function memoryTokens(initial: string | null = null): TokenStore & { value: string | null } {
  const store = {
    value: initial,
    get: () => store.value,
    set: (t: string | null) => {
      store.value = t;
    },
  };
  return store;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

describe("createClient", () => {
  it("sends JSON with Content-Type on POST, the token on every call, and reads 204 as no body", async () => {
    const { base, log } = await serve((seen, res) => {
      if (seen.method === "DELETE") return void res.writeHead(204).end();
      json(res, 200, { id: "w1", status: "paused" });
    });
    const client = createClient({ base, tokens: memoryTokens("secret") });
    await client.intervene("w1", { step_id: "s2", approve: true });
    await expect(client.deleteWorkflow("w1")).resolves.toBeUndefined();
    await client.listWorkflows({ status: "failed", cursor: "abc", limit: 10 });
    expect(log[0]).toMatchObject({
      method: "POST",
      url: "/api/workflows/w1/intervene",
      auth: "Bearer secret",
      type: "application/json",
      body: '{"step_id":"s2","approve":true}',
    });
    expect(log[1]).toMatchObject({ method: "DELETE", url: "/api/workflows/w1", type: undefined });
    expect(log[2].url).toBe("/api/workflows?status=failed&cursor=abc&limit=10");
  });

  it("turns the documented error body into an ApiError with every detail and its path", async () => {
    const { base } = await serve((_s, res) =>
      json(res, 400, {
        error: {
          code: "invalid_workflow",
          message: "2 problems",
          details: [
            { path: ["steps", 1, "depends_on", 0], code: "unknown_dependency", message: "s9 is not a step" },
            { path: "steps.0.id", message: "duplicate id" },
          ],
        },
      }),
    );
    const client = createClient({ base, tokens: memoryTokens() });
    const err = await client.createWorkflow([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.status, e.code, e.message]).toEqual([400, "invalid_workflow", "2 problems"]);
    expect(e.details).toEqual([
      { path: "steps.1.depends_on.0", code: "unknown_dependency", message: "s9 is not a step" },
      { path: "steps.0.id", code: undefined, message: "duplicate id" },
    ]);
  });

  it("explains llm_unavailable plainly and survives a body that is not JSON", async () => {
    const { base } = await serve((seen, res) => {
      if (seen.url.endsWith("/generate"))
        return json(res, 503, { error: { code: "llm_unavailable", message: "no model" } });
      res.writeHead(502, { "Content-Type": "text/html" }).end("<h1>bad gateway</h1>");
    });
    const client = createClient({ base, tokens: memoryTokens() });
    const llm = (await client.generate({ prompt: "x" }).catch((e: unknown) => e)) as ApiError;
    expect(llm.code).toBe("llm_unavailable");
    expect(explain(llm)).toMatch(/No language model is configured/);
    const html = (await client.getWorkflow("w").catch((e: unknown) => e)) as ApiError;
    expect([html.status, html.code]).toEqual([502, "http_502"]);
    expect(html.message).not.toContain("<h1>");
  });

  it("asks for a token once on 401, keeps it, and retries the request with it", async () => {
    const { base, log } = await serve((seen, res) => {
      if (seen.auth !== "Bearer right")
        return json(res, 401, { error: { code: "unauthorized", message: "token needed" } });
      json(res, 200, { schedules: [] });
    });
    const tokens = memoryTokens();
    const reasons: string[] = [];
    const client = createClient({
      base,
      tokens,
      askToken: async (reason) => {
        reasons.push(reason);
        return "right";
      },
    });
    await expect(client.listSchedules()).resolves.toEqual({ schedules: [] });
    expect(tokens.value).toBe("right");
    expect(reasons).toEqual(["token needed"]);
    expect(log.map((s) => s.auth)).toEqual([undefined, "Bearer right"]);
  });

  it("gives up with the 401 when the person cancels the prompt", async () => {
    const { base } = await serve((_s, res) => json(res, 401, { error: { code: "unauthorized", message: "no" } }));
    const client = createClient({ base, tokens: memoryTokens(), askToken: async () => null });
    await expect(client.listSchedules()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("reports a server that does not answer as a network error", async () => {
    const client = createClient({ base: "http://127.0.0.1:1/api", tokens: memoryTokens() });
    await expect(client.getWorkflow("w")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });
});
