/**
 * Boundary tests for the guards (each one pins a limit or a match exactly, so an off-by-one or a
 * loosened comparison fails), the id check on every id route, and SSE de-duplication under a race.
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEngine, createScheduler, type EventRecord, MemoryStore } from "@tandem/core";
import { afterAll, describe, expect, it } from "vitest";
import { createHandler } from "../src/index.js";
import { toNodeListener } from "../src/node.js";
import { errorOf, ORIGIN, setup, testAgent } from "./helpers.js";

const TOKEN = "correct-horse-battery-staple";
const JSON_TYPE = { "content-type": "application/json" };

/** Every POST route of the SPEC table (ids are well-formed but unknown). */
const POST_ROUTES = [
  "/api/workflows",
  "/api/workflows/generate",
  "/api/workflows/x/interrupt",
  "/api/workflows/x/resume",
  "/api/workflows/x/intervene",
  "/api/workflows/wizard/start",
  "/api/workflows/wizard/chat",
  "/api/workflows/recurring",
  "/api/workflows/recurring/x/pause",
  "/api/workflows/recurring/x/resume",
  "/api/workflows/recurring/x/run",
];

/** A body of exactly `size` bytes: a valid one-step workflow padded with trailing spaces. */
function bodyOfSize(size: number): string {
  const doc = JSON.stringify({ steps: [{ id: "s1", agent: "test", action: "ECHO", args: { value: 1 } }] });
  if (doc.length > size) throw new Error("size too small for the document");
  return doc + " ".repeat(size - doc.length);
}

function streamOf(text: string, chunk = 100): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk));
      c.close();
    },
  });
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    closers.push(
      () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
  });
}

/** A chunked POST (no Content-Length) over a real socket; resolves with the status. */
function postChunked(port: number, path: string, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method: "POST", headers: { ...JSON_TYPE, "transfer-encoding": "chunked" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      },
    );
    req.on("error", reject);
    for (let i = 0; i < text.length; i += 100) req.write(text.slice(i, i + 100));
    req.end();
  });
}

describe("Host allowlist boundaries", () => {
  it("`*.domain` matches subdomains only, never a name that merely ends with the domain", async () => {
    const { call } = setup({ allowedHosts: ["*.tandem.lan"] });
    expect((await call("GET", "/api/workflows", { headers: { host: "a.tandem.lan:8000" } })).status).toBe(200);
    expect((await call("GET", "/api/workflows", { headers: { host: "a.b.tandem.lan" } })).status).toBe(200);
    for (const host of ["eviltandem.lan", "eviltandem.lan:8000", "tandem.lan.evil.com", "xtandem.lan"]) {
      const res = await call("GET", "/api/workflows", { headers: { host } });
      expect(res.status, host).toBe(403);
      expect((await errorOf(res)).code).toBe("forbidden_host");
    }
  });

  it("compares Host case-insensitively (defaults and configured entries)", async () => {
    const { call } = setup();
    for (const host of ["LOCALHOST:8000", "LocalHost", "localhost:8000"]) {
      expect((await call("GET", "/api/workflows", { headers: { host } })).status, host).toBe(200);
    }
    const configured = setup({ allowedHosts: ["Tandem.LAN:8000"] });
    expect((await configured.call("GET", "/api/workflows", { headers: { host: "tandem.lan:8000" } })).status).toBe(200);
    expect((await configured.call("GET", "/api/workflows", { headers: { host: "TANDEM.lan:8000" } })).status).toBe(200);
    expect((await configured.call("GET", "/api/workflows", { headers: { host: "tandem.lan:8001" } })).status).toBe(403);
  });
});

describe("Origin boundaries", () => {
  it("same origin is an exact match, never a substring or prefix", async () => {
    const { call, post } = setup({ allowedOrigins: ["http://app.example"] });
    for (const origin of [
      "http://127.0.0.1:8000.evil.com",
      "http://evil.com/http://127.0.0.1:8000",
      "http://127.0.0.1:80001",
      "http://127.0.0.1:800",
      "http://evil.127.0.0.1:8000",
      "https://127.0.0.1:8000.evil.com",
      "http://app.example.evil.com",
      "http://evil.com/http://app.example",
    ]) {
      const res = await post("/api/workflows", [], { origin });
      expect(res.status, origin).toBe(403);
      expect((await errorOf(res)).code).toBe("forbidden_origin");
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect((await call("GET", "/api/workflows", { headers: { origin } })).status, origin).toBe(403);
    }
    expect((await call("GET", "/api/workflows", { headers: { origin: ORIGIN } })).status).toBe(200);
  });

  it("answers no CORS preflight without an allowed cross Origin (none, or same origin)", async () => {
    const { call } = setup({ allowedOrigins: ["http://app.example"] });
    for (const headers of [
      { "access-control-request-method": "POST" },
      { origin: ORIGIN, "access-control-request-method": "POST" },
    ] as Record<string, string>[]) {
      const res = await call("OPTIONS", "/api/workflows", { headers });
      expect(res.status).not.toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-methods")).toBeNull();
      expect(res.headers.get("access-control-allow-headers")).toBeNull();
    }
  });
});

describe("Content-Type boundaries", () => {
  it("415 for a non-JSON Content-Type on every POST route of the SPEC table", async () => {
    const { call } = setup({ scheduler: undefined });
    for (const path of POST_ROUTES) {
      for (const type of [undefined, "text/plain", "application/jsonx", "application/x-www-form-urlencoded"]) {
        const res = await call("POST", path, { raw: "{}", headers: type ? { "content-type": type } : {} });
        expect(res.status, `${path} ${type}`).toBe(415);
        expect((await errorOf(res)).code).toBe("unsupported_media_type");
      }
      const ok = await call("POST", path, { raw: "{}", headers: { "content-type": "application/json" } });
      expect(ok.status, path).not.toBe(415);
    }
  });

  it("the media type is matched whole: application/jsonx is 415, parameters after `;` are fine", async () => {
    const { call } = setup();
    for (const type of ["application/jsonx", "application/json-seq", "application/jsonp; charset=utf-8", "json"]) {
      const res = await call("POST", "/api/workflows", { raw: bodyOfSize(200), headers: { "content-type": type } });
      expect(res.status, type).toBe(415);
    }
    for (const type of ["application/json; charset=utf-8", "application/json;charset=UTF-8", " application/json "]) {
      const res = await call("POST", "/api/workflows", { raw: bodyOfSize(200), headers: { "content-type": type } });
      expect(res.status, type).toBe(201);
    }
  });
});

describe("body limit boundaries (bodyLimit 1024)", () => {
  const LIMIT = 1024;

  it("streamed without Content-Length: exactly the limit is read, one byte more is 413", async () => {
    const { handler } = setup({ bodyLimit: LIMIT });
    const send = (text: string) =>
      handler(
        new Request(`${ORIGIN}/api/workflows`, {
          method: "POST",
          headers: { host: "127.0.0.1:8000", ...JSON_TYPE },
          body: streamOf(text),
          duplex: "half",
        } as RequestInit),
      );
    expect((await send(bodyOfSize(LIMIT))).status).toBe(201);
    const over = await send(bodyOfSize(LIMIT + 1));
    expect(over.status).toBe(413);
    expect((await errorOf(over)).code).toBe("payload_too_large");
    expect((await send(bodyOfSize(LIMIT - 1))).status).toBe(201);
  });

  it("chunked over a real node:http socket: exactly the limit is read, one byte more is 413", async () => {
    const engine = createEngine({ store: new MemoryStore(), agents: [testAgent()] });
    const handler = createHandler({ engine, bodyLimit: LIMIT });
    const port = await listen(createServer(toNodeListener(handler)));
    expect(await postChunked(port, "/api/workflows", bodyOfSize(LIMIT))).toBe(201);
    expect(await postChunked(port, "/api/workflows", bodyOfSize(LIMIT + 1))).toBe(413);
  });

  it("declared Content-Length: the limit is accepted, limit + 1 is 413 before reading", async () => {
    const { handler } = setup({ bodyLimit: LIMIT });
    const send = (declared: number, body: string) =>
      handler(
        new Request(`${ORIGIN}/api/workflows`, {
          method: "POST",
          headers: { host: "127.0.0.1:8000", ...JSON_TYPE, "content-length": String(declared) },
          body,
        }),
      );
    expect((await send(LIMIT, bodyOfSize(LIMIT))).status).toBe(201);
    // Declared one byte over, though the body itself is small: refused from the header alone.
    const over = await send(LIMIT + 1, bodyOfSize(200));
    expect(over.status).toBe(413);
    expect((await errorOf(over)).code).toBe("payload_too_large");
    expect(over.headers.get("connection")).toBe("close");
  });
});

describe("JSON depth boundary (maxDepth 10)", () => {
  /** A workflow whose deepest container sits at exactly `depth` (root object = 1). */
  function docAtDepth(depth: number): string {
    // root {1} → steps [2] → step {3} → args {4} → value: arrays from depth 5 on
    const arrays = depth - 4;
    return `{"steps":[{"id":"s1","agent":"test","action":"ECHO","args":{"value":${"[".repeat(arrays)}${"]".repeat(arrays)}}}]}`;
  }

  it("exactly maxDepth levels are accepted, one more is 400 too_deep", async () => {
    const { call } = setup({ maxDepth: 10 });
    const atLimit = await call("POST", "/api/workflows", { raw: docAtDepth(10), headers: JSON_TYPE });
    expect(atLimit.status).toBe(201);
    const over = await call("POST", "/api/workflows", { raw: docAtDepth(11), headers: JSON_TYPE });
    expect(over.status).toBe(400);
    expect((await errorOf(over)).details).toEqual([expect.objectContaining({ code: "too_deep" })]);
    // a bare nested list at exactly the limit / one over (the root array is level 1)
    const bare = (n: number) =>
      call("POST", "/api/workflows", { raw: "[".repeat(n) + "]".repeat(n), headers: JSON_TYPE });
    const bareAt = await bare(10);
    expect(bareAt.status === 400 ? (await errorOf(bareAt)).details : []).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "too_deep" })]),
    );
    expect((await errorOf(await bare(11))).details).toEqual([expect.objectContaining({ code: "too_deep" })]);
  });
});

describe("bearer token", () => {
  it("only the Bearer scheme carries the token; other schemes are 401 on every route", async () => {
    const { call } = setup({ token: TOKEN });
    for (const [method, path] of [
      ["GET", "/api/workflows"],
      ["GET", "/api/workflows/x"],
      ["GET", "/api/workflows/x/events"],
      ["POST", "/api/workflows"],
      ["DELETE", "/api/workflows/x"],
    ] as const) {
      for (const auth of [
        `Basic ${TOKEN}`,
        `Token ${TOKEN}`,
        `Bearerx ${TOKEN}`,
        `xBearer ${TOKEN}`,
        `Bearer${TOKEN}`,
        TOKEN,
        `Digest ${TOKEN}`,
      ]) {
        const res = await call(method, path, {
          headers: { authorization: auth },
          body: method === "POST" ? [] : undefined,
        });
        expect(res.status, `${method} ${path} ${auth}`).toBe(401);
        expect((await errorOf(res)).code).toBe("unauthorized");
      }
    }
  });

  it("GET /api/workflows/{id}/events checks the token before the stream opens", async () => {
    const { call, engine } = setup({ token: TOKEN });
    const wf = await engine.createWorkflow({
      steps: [{ id: "s1", agent: "test", action: "ECHO", args: { value: 1 } }],
    });
    await engine.onIdle();
    const refused: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-token-123" },
      { authorization: `Basic ${TOKEN}` },
    ];
    for (const headers of refused) {
      const res = await call("GET", `/api/workflows/${wf.id}/events`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).not.toMatch(/event-stream/);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const ok = await call("GET", `/api/workflows/${wf.id}/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await ok.text(); // a completed workflow's stream ends after its history
  });
});

describe("path ids are checked before any lookup", () => {
  it("400 invalid_id (not 404) for a bad id on every id route", async () => {
    const engine = createEngine({ store: new MemoryStore(), agents: [testAgent()] });
    const scheduler = createScheduler({ engine });
    const { call } = setup({ engine, scheduler });
    const tooLong = "a".repeat(65);
    expect(tooLong.length).toBe(65);
    for (const bad of ["bad%20id", tooLong, "bad.id", "%C3%A9"]) {
      for (const [method, path, body] of [
        ["GET", `/api/workflows/${bad}`],
        ["DELETE", `/api/workflows/${bad}`],
        ["GET", `/api/workflows/${bad}/events`],
        ["POST", `/api/workflows/${bad}/interrupt`, {}],
        ["POST", `/api/workflows/${bad}/resume`, {}],
        ["POST", `/api/workflows/${bad}/intervene`, { skip: ["s1"] }],
        ["GET", `/api/workflows/recurring/${bad}`],
        ["DELETE", `/api/workflows/recurring/${bad}`],
        ["POST", `/api/workflows/recurring/${bad}/pause`, {}],
        ["POST", `/api/workflows/recurring/${bad}/resume`, {}],
        ["POST", `/api/workflows/recurring/${bad}/run`, {}],
        ["GET", `/api/workflows/recurring/${bad}/firings`],
      ] as [string, string, unknown?][]) {
        const res = await call(method, path, { body });
        expect(res.status, `${method} ${path}`).toBe(400);
        const error = await errorOf(res);
        expect(error.code).toBe("invalid_request");
        expect(error.details).toEqual([expect.objectContaining({ code: "invalid_id" })]);
      }
    }
    // the 64-character boundary itself is a valid (unknown) id: 404
    expect((await call("DELETE", `/api/workflows/${"a".repeat(64)}`)).status).toBe(404);
    expect((await call("GET", `/api/workflows/${"a".repeat(64)}/events`)).status).toBe(404);
    expect((await call("POST", `/api/workflows/${"a".repeat(64)}/intervene`, { body: { skip: ["s1"] } })).status).toBe(
      404,
    );
  });
});

describe("SSE de-duplication", () => {
  it("events committed while history is being read go out once (no duplicate id:)", async () => {
    let release!: () => void;
    const gate = { release: new Promise<void>((r) => (release = r)) };
    const engine = createEngine({ store: new MemoryStore(), agents: [testAgent(gate)] });
    const handler = createHandler({ engine });
    const wf = await engine.createWorkflow({
      steps: [
        { id: "a", agent: "test", action: "WAIT" },
        { id: "b", agent: "test", action: "ECHO", args: { value: 1 }, depends_on: ["a"] },
      ],
    });
    // Let the first steps' events be committed, then open the race: the stream's listener is
    // attached, and before the history read runs, the workflow finishes. Its last events reach the
    // live listener (backlog) AND the history read.
    const original = engine.listEvents.bind(engine);
    let raced = 0;
    engine.listEvents = async (id: string, after?: number): Promise<EventRecord[]> => {
      raced++;
      const done = new Promise<void>((resolve) => {
        const on = (e: EventRecord) => {
          if (e.workflow_id === id && e.type === "workflow.completed") {
            engine.events.off("event", on);
            resolve();
          }
        };
        engine.events.on("event", on);
      });
      release();
      await done;
      engine.listEvents = original;
      return original(id, after);
    };
    const res = await handler(
      new Request(`${ORIGIN}/api/workflows/${wf.id}/events`, { headers: { host: "127.0.0.1:8000" } }),
    );
    expect(res.status).toBe(200);
    const text = await res.text(); // the workflow is completed: the stream ends
    expect(raced).toBe(1);
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    const all = await engine.listEvents(wf.id);
    expect(all.at(-1)!.type).toBe("workflow.completed");
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(all.map((e) => e.seq));
    expect(engine.events.listenerCount("event")).toBe(0);
  });
});
