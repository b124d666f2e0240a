/**
 * One real socket per host: node:http, Express 5, Fastify 5 and Hono (app.mount + @hono/node-server),
 * each mounted at /api and at a custom prefix, with and without the host's own body parser in front.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { ScriptedPlanner } from "@tandem/core/testing";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { cloneRawRequest } from "hono/request";
import { afterAll, describe, expect, it } from "vitest";
import { toExpressMiddleware } from "../src/express.js";
import { toFastifyPlugin } from "../src/fastify.js";
import { createHandler, type FetchHandler } from "../src/index.js";
import { toNodeListener } from "../src/node.js";
import { makeEngine, twoSteps } from "./helpers.js";

type Host = "node" | "express" | "fastify" | "hono";
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    closers.push(
      () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
  });
}

/** A host parser of our own for node:http: reads JSON bodies into req.body, like body-parser. */
function nodeJsonParser(next: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
    if (!req.headers["content-type"]?.startsWith("application/json")) return next(req, res);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        req.body = JSON.parse(Buffer.concat(chunks).toString() || "null");
      } catch {
        req.body = Buffer.concat(chunks).toString();
      }
      next(req, res);
    });
  };
}

async function start(host: Host, prefix: string, hostParser: boolean, handler: FetchHandler): Promise<string> {
  if (host === "node") {
    const listener = toNodeListener(handler);
    return listen(createServer(hostParser ? nodeJsonParser((q, s) => void listener(q, s)) : listener));
  }
  if (host === "express") {
    const app = express();
    if (hostParser) app.use(express.json({ limit: "10mb" }));
    app.get("/health", (_q, s) => void s.json({ ok: true }));
    app.use(prefix, toExpressMiddleware(handler));
    return listen(createServer(app));
  }
  if (host === "fastify") {
    const app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
    if (!hostParser) app.removeAllContentTypeParsers();
    else app.post("/echo", async (request) => request.body); // the host's JSON parser still works outside our scope
    await app.register(toFastifyPlugin(handler), { prefix });
    await app.listen({ port: 0, host: "127.0.0.1" });
    closers.push(() => app.close());
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }
  const app = new Hono();
  if (hostParser) {
    // A middleware that reads the body (as validators do) leaves c.req.raw consumed, so app.mount
    // cannot re-create the request: hand the handler Hono's clone built from its body cache instead.
    app.use("*", async (c, next) => {
      if (c.req.header("content-type")?.startsWith("application/json")) await c.req.json().catch(() => null);
      await next();
    });
    app.all(`${prefix}/*`, async (c) => handler(await cloneRawRequest(c.req)));
  } else {
    app.mount(prefix, handler);
  }
  return listen(createServer(getRequestListener(app.fetch)));
}

const cases: [Host, string, boolean][] = [];
for (const host of ["node", "express", "fastify", "hono"] as Host[]) {
  for (const prefix of ["/api", "/custom/tandem"])
    for (const parser of [false, true]) cases.push([host, prefix, parser]);
}

describe.each(cases)("%s at %s (host parser: %s)", (host, prefix, hostParser) => {
  it("serves the routes, refuses what it must, and streams events", async () => {
    const engine = makeEngine();
    // Hono's mount strips the prefix; the handler takes the stripped path as it is.
    const basePath = host === "hono" && !hostParser ? "/api" : prefix;
    const base = `${await start(host, prefix, hostParser, createHandler({ engine, basePath, bodyLimit: 64 * 1024 }))}${prefix}`;
    const json = { "content-type": "application/json" };

    const created = await fetch(`${base}/workflows`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ steps: twoSteps, variables: { user_email: "a@example.com" } }),
    });
    expect(created.status).toBe(201);
    const wf = (await created.json()) as { id: string };
    await engine.onIdle();
    const got = await fetch(`${base}/workflows/${wf.id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { status: string }).status).toBe("paused");

    const invalid = await fetch(`${base}/workflows`, {
      method: "POST",
      headers: json,
      body: JSON.stringify([{ id: "x", agent: "nope", action: "X" }]),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { details: unknown[] } }).error.details.length).toBeGreaterThan(0);
    const proto = await fetch(`${base}/workflows`, {
      method: "POST",
      headers: json,
      body: '{"steps":[],"variables":{"__proto__":{"x":1}}}',
    });
    expect(proto.status).toBe(400);
    expect(
      (await fetch(`${base}/workflows`, { method: "POST", headers: { "content-type": "text/plain" }, body: "[]" }))
        .status,
    ).toBe(415);
    const big = JSON.stringify({ steps: twoSteps, name: "x".repeat(100 * 1024) });
    const tooBig = await fetch(`${base}/workflows`, { method: "POST", headers: json, body: big });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect((await fetch(`${base}/workflows/${wf.id}`, { headers: { origin: "http://evil.example" } })).status).toBe(
      403,
    );
    expect((await fetch(`${base}/workflows/generate`)).status).toBe(405);

    const approve = await fetch(`${base}/workflows/${wf.id}/intervene`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ step_id: "s2", approve: true }),
    });
    expect(approve.status).toBe(200);
    await engine.onIdle();
    const stream = await fetch(`${base}/workflows/${wf.id}/events`);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await stream.text(); // ends by itself: the workflow is completed
    expect(text).toContain("event: workflow.completed");
    expect(text.indexOf("event: workflow.created")).toBeLessThan(text.indexOf("event: workflow.completed"));

    const controller = new AbortController();
    const live = await fetch(
      `${base}/workflows/${(await engine.createWorkflow([{ id: "w", agent: "test", action: "WAIT" }])).id}/events`,
      { signal: controller.signal },
    );
    const reader = live.body!.getReader();
    await reader.read();
    expect(engine.events.listenerCount("event")).toBe(1);
    controller.abort();
    await expect.poll(() => engine.events.listenerCount("event")).toBe(0);

    expect((await fetch(`${base}/workflows/${wf.id}`, { method: "DELETE" })).status).toBe(204);
    await engine.close();
  });
});

describe("node glue, the lazy request", () => {
  it("gives routes that read the body first and the signal later (generate) a working Request", async () => {
    const engine = makeEngine();
    const planner = new ScriptedPlanner([{ steps: [{ id: "a", agent: "test", action: "ECHO", args: { value: 1 } }] }]);
    const base = await start("node", "/api", false, createHandler({ engine, planner }));
    const res = await fetch(`${base}/api/workflows/generate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "echo one" }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { attempts: number }).attempts).toBe(1);
    await engine.close();
  });
});

describe("node glue, large bodies", () => {
  it("answers 413 (with Connection: close) to a multi-megabyte upload instead of resetting the socket", async () => {
    const engine = makeEngine();
    const base = await start("node", "/api", false, createHandler({ engine, bodyLimit: 1024 }));
    const { request } = await import("node:http");
    const status = await new Promise<{ status: number; connection: string | undefined; code: string }>(
      (resolve, reject) => {
        const req = request(
          `${base}/api/workflows`,
          { method: "POST", headers: { "content-type": "application/json" } },
          (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () =>
              resolve({
                status: res.statusCode!,
                connection: res.headers.connection,
                code: JSON.parse(text).error.code,
              }),
            );
          },
        );
        req.on("error", reject);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 5 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          req.end();
        };
        req.on("socket", pump);
      },
    );
    expect(status).toEqual({ status: 413, connection: "close", code: "payload_too_large" });
    await engine.close();
  });
});
