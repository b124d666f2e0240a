import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStore } from "@tandem/core";
import { describe, expect, it } from "vitest";
import { createLocalServer } from "../src/server.js";

describe("local server security defaults", () => {
  it("with TANDEM_TOKEN: every API route needs it (resume included); the page itself loads", async () => {
    const token = "a-long-random-secret-for-tests";
    const server = await createLocalServer({
      port: 0,
      token,
      store: new MemoryStore(),
      dataDir: await mkdtemp(join(tmpdir(), "tandem-sec-")),
      write: () => {},
    });
    try {
      for (const [method, path] of [
        ["GET", "/api/workflows"],
        ["POST", "/api/workflows/x/resume"],
        ["GET", "/api/openapi.json"],
      ]) {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body: method === "POST" ? "{}" : undefined,
        });
        expect(res.status, path).toBe(401);
      }
      const ok = await fetch(`${server.url}/api/workflows`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("access-control-allow-origin")).toBeNull();
      expect((await fetch(`${server.url}/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("refuses to listen beyond loopback without a token, when embedded as well as from the environment", async () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.1"]) {
      await expect(createLocalServer({ host, port: 0, store: new MemoryStore(), write: () => {} })).rejects.toThrow(
        /without a token/,
      );
    }
  });

  it("binds 127.0.0.1 by default with bounded header, request and keep-alive timeouts", async () => {
    const server = await createLocalServer({
      port: 0,
      store: new MemoryStore(),
      dataDir: await mkdtemp(join(tmpdir(), "tandem-sec-")),
      write: () => {},
    });
    try {
      expect(server.server.address()).toMatchObject({ address: "127.0.0.1" });
      expect(server.server.headersTimeout).toBeGreaterThan(0);
      expect(server.server.headersTimeout).toBeLessThanOrEqual(60_000);
      expect(server.server.requestTimeout).toBeGreaterThan(0);
      expect(server.server.requestTimeout).toBeLessThanOrEqual(120_000);
      expect(server.server.keepAliveTimeout).toBeLessThanOrEqual(10_000);
    } finally {
      await server.close();
    }
  });

  it("a port in use is a clear error that releases the SQLite history for the next start", async () => {
    const first = await createLocalServer({
      port: 0,
      store: new MemoryStore(),
      dataDir: await mkdtemp(join(tmpdir(), "tandem-a-")),
      write: () => {},
    });
    const dataDir = await mkdtemp(join(tmpdir(), "tandem-b-"));
    try {
      await expect(createLocalServer({ port: first.port, dataDir, write: () => {} })).rejects.toThrow(/EADDRINUSE/);
      const second = await createLocalServer({ port: 0, dataDir, write: () => {} });
      expect((await fetch(`${second.url}/api/workflows`)).status).toBe(200);
      await second.close();
    } finally {
      await first.close();
    }
  });
});
