import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isBlockedAddress } from "../src/agents/address-policy.js";
import { createEmailAgent, messageIdFor } from "../src/agents/email.js";
import { createHttpFetchAgent } from "../src/agents/http-fetch.js";
import { renderBody } from "../src/agents/render-body.js";
import { createUtilAgent } from "../src/agents/util.js";
import { createWebSearchAgent } from "../src/agents/web-search.js";
import { ctx, fakeSearxng, httpServer, runAction, smtpSink } from "./helpers.js";

describe("web_search.SEARCH_WEB", () => {
  it("fails with a clear, non-retryable error when SEARCH_URL is unset", async () => {
    const error = await runAction(createWebSearchAgent(), "SEARCH_WEB", { query: "x" }).catch((e: Error) => e);
    expect(error).toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("SEARCH_URL is not set"),
    });
  });

  it("maps SearXNG JSON to results of { title, url, snippet }", async () => {
    const searx = fakeSearxng();
    const server = await searx.start();
    const out = await runAction(createWebSearchAgent({ searchUrl: `${server.url}/` }), "SEARCH_WEB", {
      query: "AI news",
      limit: 1,
    });
    expect(out).toEqual({
      results: [{ title: "AI news: first story", url: "https://news.example/1", snippet: "The first snippet" }],
    });
    expect(searx.queries).toEqual(["AI news"]);
    const missing = await runAction(createWebSearchAgent({ searchUrl: `${server.url}/nothing/here` }), "SEARCH_WEB", {
      query: "x",
    }).catch((e: Error) => e);
    expect(missing).toMatchObject({ name: "NonRetryableError", message: expect.stringContaining("404") });
    await server.close();
  });
});

describe("email.SEND_EMAIL", () => {
  it("renders any JSON body readably, never [object Object]", () => {
    const text = renderBody([
      { title: "One", url: "https://a.example", snippet: "first" },
      { title: "", url: "https://b.example" },
      { nested: { x: 1 } },
      "plain",
    ]);
    expect(text).toContain("1. One\n   https://a.example\n   first");
    expect(text).toContain("2. https://b.example\n   https://b.example");
    expect(text).toContain('"x": 1');
    expect(text).not.toContain("[object Object]");
    expect(renderBody({ results: [{ title: "T", url: "https://t.example" }] })).toBe("1. T\n   https://t.example");
    expect(renderBody(42)).toBe("42");
    expect(renderBody(null)).toBe("");
  });

  it("declares itself non-idempotent and always gated", () => {
    const action = createEmailAgent({ outboxDir: "/nonexistent" }).actions.SEND_EMAIL!;
    expect(action.idempotent).toBe(false);
    expect(action.needsHuman).toBe(true);
  });

  it("sends over SMTP with the idempotency key as Message-ID", async () => {
    const smtp = await smtpSink();
    const agent = createEmailAgent({ smtpUrl: smtp.url, outboxDir: "/nonexistent", from: "bot@example.com" });
    const out = await runAction(agent, "SEND_EMAIL", {
      to: "ada@example.com",
      subject: "News",
      body: [{ title: "T", url: "https://t.example" }],
    });
    expect(out).toMatchObject({ message_id: "<wf1.s2@tandem.local>", accepted: ["ada@example.com"] });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(["ada@example.com"]);
    expect(smtp.mails[0]!.raw).toMatch(/Message-ID: <wf1\.s2@tandem\.local>/i);
    expect(smtp.mails[0]!.raw).toContain("https://t.example");
    await smtp.close();
  });

  it("writes an .eml file to the outbox without SMTP, and refuses bad addresses", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tandem-outbox-"));
    const agent = createEmailAgent({ outboxDir: join(dir, "outbox") });
    const out = (await runAction(agent, "SEND_EMAIL", {
      to: ["a@example.com", "b@example.com"],
      body: { k: "v" },
    })) as { file: string };
    expect(await readdir(join(dir, "outbox"))).toEqual(["wf1.s2.eml"]);
    const eml = await readFile(out.file, "utf8");
    expect(eml).toContain("To: a@example.com, b@example.com");
    expect(eml).toContain(`Message-ID: ${messageIdFor("wf1:s2")}`);
    expect(eml).toContain('"k": "v"');
    await expect(runAction(agent, "SEND_EMAIL", { to: "not an address", body: "x" })).rejects.toThrow();
  });
});

describe("http.FETCH", () => {
  it("blocks private, loopback, link-local, CGNAT, unspecified and mapped addresses", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "::ffff:127.0.0.1",
      "224.0.0.1",
    ]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
      expect(isBlockedAddress(a), a).toBe(false);
  });

  it("refuses loopback by IP and by name (after DNS), and after a redirect", async () => {
    const target = await httpServer(
      (_q, s) => void s.writeHead(200, { "content-type": "application/json" }).end('{"secret":true}'),
    );
    const fetchAgent = createHttpFetchAgent();
    await expect(runAction(fetchAgent, "FETCH", { url: target.url })).rejects.toThrow(/not allowed/);
    await expect(runAction(fetchAgent, "FETCH", { url: `http://localhost:${target.port}/` })).rejects.toThrow(
      /not allowed/,
    );
    await expect(runAction(fetchAgent, "FETCH", { url: `http://[::1]:${target.port}/` })).rejects.toThrow(
      /not allowed/,
    );
    const redirector = await httpServer(
      (_q, s) => void s.writeHead(302, { location: `http://localhost:${target.port}/` }).end(),
    );
    const allowIp = createHttpFetchAgent({ allowHosts: ["127.0.0.1"] });
    await expect(runAction(allowIp, "FETCH", { url: redirector.url })).rejects.toThrow(
      /Refusing to connect to localhost/,
    );
    expect(await runAction(allowIp, "FETCH", { url: target.url })).toMatchObject({
      status: 200,
      body: { secret: true },
    });
    const allowAll = createHttpFetchAgent({ allowPrivateNetworks: true });
    expect(await runAction(allowAll, "FETCH", { url: redirector.url })).toMatchObject({
      status: 200,
      url: `http://localhost:${target.port}/`,
    });
    await target.close();
    await redirector.close();
  });

  it("POSTs JSON and keeps text bodies as text", async () => {
    const server = await httpServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => void res.writeHead(200, { "content-type": "text/plain" }).end(`${req.method} ${body}`));
    });
    const agent = createHttpFetchAgent({ allowHosts: ["127.0.0.1"] });
    expect(await runAction(agent, "FETCH", { url: server.url, method: "POST", body: { a: 1 } })).toMatchObject({
      body: 'POST {"a":1}',
    });
    await server.close();
  });
});

describe("util", () => {
  it("ECHO publishes its value; WAIT waits and stops at once when aborted", async () => {
    const util = createUtilAgent();
    expect(await runAction(util, "ECHO", { value: [1, { a: 2 }] })).toEqual({ value: [1, { a: 2 }] });
    expect(await runAction(util, "WAIT", { ms: 1 })).toEqual({ waited_ms: 1 });
    const controller = new AbortController();
    const waiting = runAction(util, "WAIT", { ms: 60_000 }, ctx({ signal: controller.signal }));
    controller.abort(new Error("interrupted"));
    await expect(waiting).rejects.toThrow("interrupted");
  });
});
