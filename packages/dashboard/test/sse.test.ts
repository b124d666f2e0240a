import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readEventStream, type SseMessage, SseParser } from "../src/api/sse";

describe("SseParser", () => {
  it("gives whole events whatever the chunking, with CRLF, CR and LF line ends", () => {
    const text = 'id: 1\r\nevent: step.succeeded\r\ndata: {"a":1}\r\n\r\n: keep-alive\n\nid: 2\rdata: x\rdata: y\r\r\n';
    for (const size of [1, 2, 3, 7, text.length]) {
      const parser = new SseParser();
      const out: SseMessage[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      expect(out).toEqual([
        { id: "1", event: "step.succeeded", data: '{"a":1}' },
        { id: "2", event: "message", data: "x\ny" },
      ]);
      expect(parser.lastEventId).toBe("2");
    }
  });

  it("keeps the last id for events without one and ignores fields it does not know", () => {
    const parser = new SseParser();
    const out = parser.push("id: 7\ndata: a\n\nretry: 100\nfoo\ndata\n\n");
    expect(out).toEqual([
      { id: "7", event: "message", data: "a" },
      { id: "7", event: "message", data: "" },
    ]);
  });

  it("holds back an event until its blank line arrives", () => {
    const parser = new SseParser();
    expect(parser.push("data: half")).toEqual([]);
    expect(parser.push("\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ id: null, event: "message", data: "half" }]);
  });
});

describe("readEventStream", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  async function serve(handler: (headers: IncomingHttpHeaders, res: import("node:http").ServerResponse) => void) {
    server = createServer((req, res) => handler(req.headers, res));
    await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  }

  it("sends the token and Last-Event-ID, delivers events in order and returns the last id when the server ends", async () => {
    let seen: IncomingHttpHeaders = {};
    const url = await serve((headers, res) => {
      seen = headers;
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write("id: 4\nevent: step.started\ndata: {}\n\n");
      setTimeout(() => res.end("id: 5\nevent: workflow.completed\ndata: {}\n\n"), 20);
    });
    const got: string[] = [];
    let opened = false;
    const last = await readEventStream(url, {
      headers: { Authorization: "Bearer t0k" },
      lastEventId: "3",
      onOpen: () => {
        opened = true;
      },
      onMessage: (m) => got.push(`${m.id}:${m.event}`),
    });
    expect(opened).toBe(true);
    expect(got).toEqual(["4:step.started", "5:workflow.completed"]);
    expect(last).toBe("5");
    expect(seen.authorization).toBe("Bearer t0k");
    expect(seen["last-event-id"]).toBe("3");
    expect(seen.accept).toBe("text/event-stream");
  });

  it("rejects on an HTTP error so the caller can fall back to polling", async () => {
    const url = await serve((_h, res) => {
      res.writeHead(401, { "Content-Type": "application/json" });
      res.end('{"error":{"code":"unauthorized","message":"token required"}}');
    });
    await expect(readEventStream(url, { onMessage: () => {} })).rejects.toThrow(/HTTP 401/);
  });
});
