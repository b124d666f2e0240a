import { describe, expect, it } from "vitest";
import { createHandler } from "../src/index.js";
import { errorOf, makeEngine, ORIGIN, setup } from "./helpers.js";

const TOKEN = "correct-horse-battery-staple";

describe("security defaults", () => {
  it("refuses a foreign Host before routing, on every method", async () => {
    const { call } = setup();
    for (const [method, path] of [
      ["GET", "/api/workflows"],
      ["DELETE", "/api/workflows/x"],
      ["POST", "/api/workflows"],
      ["GET", "/api/no-such-route"],
    ] as const) {
      const res = await call(method, path, {
        headers: { host: "evil.example:8000" },
        body: method === "POST" ? [] : undefined,
      });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe("forbidden_host");
    }
    expect((await call("GET", "/api/workflows", { headers: { host: "localhost:8000" } })).status).toBe(200);
    expect((await call("GET", "/api/workflows", { headers: { host: "[::1]:8000" } })).status).toBe(200);
  });

  it("accepts configured hosts: name:port pins the port, name allows any, * allows all", async () => {
    const pinned = setup({ allowedHosts: ["127.0.0.1:8000", "tandem.lan"] });
    expect((await pinned.call("GET", "/api/workflows", { headers: { host: "127.0.0.1:9999" } })).status).toBe(403);
    expect((await pinned.call("GET", "/api/workflows", { headers: { host: "127.0.0.1:8000" } })).status).toBe(200);
    expect((await pinned.call("GET", "/api/workflows", { headers: { host: "tandem.lan:1234" } })).status).toBe(200);
    const any = setup({ allowedHosts: ["*"] });
    expect((await any.call("GET", "/api/workflows", { headers: { host: "whatever.example" } })).status).toBe(200);
  });

  it("refuses a foreign Origin (403) with no CORS headers; same origin passes", async () => {
    const { call, post } = setup();
    const res = await post("/api/workflows", [], { origin: "http://evil.example" });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("forbidden_origin");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect((await call("DELETE", "/api/workflows/x", { headers: { origin: "null" } })).status).toBe(403);
    const same = await call("GET", "/api/workflows", { headers: { origin: ORIGIN } });
    expect(same.status).toBe(200);
    expect(same.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sends CORS headers and answers preflight only for configured origins", async () => {
    const { call } = setup({ allowedOrigins: ["http://app.example"] });
    const pre = await call("OPTIONS", "/api/workflows", {
      headers: { origin: "http://app.example", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://app.example");
    const get = await call("GET", "/api/workflows", { headers: { origin: "http://app.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBe("http://app.example");
    expect((await call("OPTIONS", "/api/workflows", { headers: { origin: "http://other.example" } })).status).toBe(403);
  });

  it("415 for a POST that is not application/json, whatever the route", async () => {
    const { call } = setup();
    for (const path of [
      "/api/workflows",
      "/api/workflows/x/resume",
      "/api/workflows/x/intervene",
      "/api/workflows/generate",
    ]) {
      for (const type of [
        undefined,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ]) {
        const res = await call("POST", path, { raw: "[]", headers: type ? { "content-type": type } : {} });
        expect(res.status).toBe(415);
        expect((await errorOf(res)).code).toBe("unsupported_media_type");
      }
    }
    const ok = await call("POST", "/api/workflows", {
      raw: "[]",
      headers: { "content-type": "Application/JSON; charset=utf-8" },
    });
    expect(ok.status).not.toBe(415);
  });

  it("with a token: 401 when missing or wrong on every route (resume and intervene included), 200 when right", async () => {
    const { call, post } = setup({ token: TOKEN });
    for (const [method, path] of [
      ["GET", "/api/workflows"],
      ["GET", "/api/openapi.json"],
      ["GET", "/api/agents"],
      ["POST", "/api/workflows/x/resume"],
      ["POST", "/api/workflows/x/intervene"],
      ["DELETE", "/api/workflows/x"],
    ] as const) {
      for (const auth of [
        undefined,
        "Bearer wrong",
        `Bearer ${TOKEN}x`,
        `Basic ${TOKEN}`,
        `Bearer ${TOKEN.slice(0, -1)}`,
      ]) {
        const res = await call(method, path, {
          headers: auth ? { authorization: auth } : {},
          body: method === "POST" ? {} : undefined,
        });
        expect(res.status).toBe(401);
        expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect((await errorOf(res)).code).toBe("unauthorized");
      }
    }
    expect((await call("GET", "/api/workflows", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await post("/api/workflows/x/resume", {}, { authorization: `bearer ${TOKEN}` })).status).toBe(404);
  });

  it("413 beyond the body limit, counted while reading (no Content-Length) and from Content-Length", async () => {
    const { handler } = setup({ bodyLimit: 1024 });
    const big = JSON.stringify({ steps: [], name: "x".repeat(2000) });
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < big.length; i += 100) c.enqueue(new TextEncoder().encode(big.slice(i, i + 100)));
        c.close();
      },
    });
    const streamed = await handler(
      new Request(`${ORIGIN}/api/workflows`, {
        method: "POST",
        headers: { host: "127.0.0.1:8000", "content-type": "application/json" },
        body: chunks,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect((await errorOf(streamed)).code).toBe("payload_too_large");
    const declared = await handler(
      new Request(`${ORIGIN}/api/workflows`, {
        method: "POST",
        headers: { host: "127.0.0.1:8000", "content-type": "application/json", "content-length": "5000" },
        body: "[]",
      }),
    );
    expect(declared.status).toBe(413);
    const lying = await handler(
      new Request(`${ORIGIN}/api/workflows`, {
        method: "POST",
        headers: { host: "127.0.0.1:8000", "content-type": "application/json", "content-length": "2" },
        body: big,
      }),
    );
    expect(lying.status).toBe(413);
  });

  it("400 for too deep nesting, prototype keys, bad JSON and bad UTF-8", async () => {
    const { call } = setup({ maxDepth: 10 });
    const deep = `{"steps":[],"variables":{"a":${"[".repeat(20)}${"]".repeat(20)}}}`;
    const tooDeep = await call("POST", "/api/workflows", {
      raw: deep,
      headers: { "content-type": "application/json" },
    });
    expect(tooDeep.status).toBe(400);
    expect((await errorOf(tooDeep)).details).toEqual([expect.objectContaining({ code: "too_deep" })]);
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const raw = `{"steps":[],"variables":{"x":{"${key}":{"polluted":true}}}}`;
      const res = await call("POST", "/api/workflows", { raw, headers: { "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).details).toEqual([
        expect.objectContaining({ code: "forbidden_key", path: ["variables", "x", key] }),
      ]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const badJson = await call("POST", "/api/workflows", {
      raw: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(badJson.status).toBe(400);
    expect((await errorOf(badJson)).code).toBe("invalid_request");
    const badUtf8 = await call("POST", "/api/workflows", {
      raw: new Uint8Array([0x5b, 0xff, 0x5d]),
      headers: { "content-type": "application/json" },
    });
    expect(badUtf8.status).toBe(400);
    const hugeDepth = await call("POST", "/api/workflows", {
      raw: "[".repeat(200_000) + "]".repeat(200_000),
      headers: { "content-type": "application/json" },
    });
    expect(hugeDepth.status).toBe(400);
  });

  it("refuses bad options at construction", () => {
    const engine = makeEngine();
    expect(() => createHandler({ engine, bodyLimit: 0 })).toThrow(TypeError);
    expect(() => createHandler({ engine, maxDepth: 1.5 })).toThrow(TypeError);
    expect(() => createHandler({ engine, token: "short" })).toThrow(TypeError);
    expect(() => createHandler({ engine, basePath: "api" })).toThrow(TypeError);
    expect(() => createHandler({ engine: {} as never })).toThrow(TypeError);
  });
});
