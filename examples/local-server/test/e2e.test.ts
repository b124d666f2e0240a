/**
 * The documented two-step workflow end to end through real HTTP: a fake SearXNG, a real SMTP server,
 * SQLite history on disk, the human gate, an edit of the recipient, resume, completion, list, delete.
 */
import { mkdtemp } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createLocalServer, type LocalServer } from "../src/server.js";
import { fakeSearxng, smtpSink } from "./helpers.js";

const documented = [
  {
    id: "s1",
    agent: "web_search",
    action: "SEARCH_WEB",
    args: { query: "AI news" },
    depends_on: [],
    outputs: ["results"],
  },
  {
    id: "s2",
    agent: "email",
    action: "SEND_EMAIL",
    args: { to: "$user_email", body: "$results" },
    depends_on: ["s1"],
    needs_human: true,
  },
];

let server: LocalServer;
let searx: Awaited<ReturnType<ReturnType<typeof fakeSearxng>["start"]>>;
let smtp: Awaited<ReturnType<typeof smtpSink>>;
const lines: string[] = [];

beforeAll(async () => {
  searx = await fakeSearxng().start();
  smtp = await smtpSink();
  const dataDir = await mkdtemp(join(tmpdir(), "tandem-e2e-"));
  const config = loadConfig({
    PORT: "0",
    TANDEM_DATA_DIR: dataDir,
    SEARCH_URL: searx.url,
    SMTP_URL: smtp.url,
    TANDEM_VAR_USER_EMAIL: "ada@example.com",
  });
  server = await createLocalServer({ ...config, write: (line) => lines.push(line) });
});

afterAll(async () => {
  await server.close();
  await searx.close();
  await smtp.close();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api${path}`, { ...init, headers: { "content-type": "application/json", ...init.headers } });

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("condition not reached");
}

describe("the documented workflow through the local server", () => {
  it("search, gate with resolved args, edit the recipient, resume, mail received, list, delete", async () => {
    const created = await api("/workflows", { method: "POST", body: JSON.stringify(documented) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // Live through SSE: wait for the human gate.
    const events = await fetch(`${server.url}/api/workflows/${id}/events`);
    const reader = events.body!.getReader();
    let seen = "";
    while (!seen.includes("event: step.awaiting_human")) seen += new TextDecoder().decode((await reader.read()).value);
    expect(seen.indexOf("event: step.succeeded")).toBeLessThan(seen.indexOf("event: step.awaiting_human"));

    const gated = await (await api(`/workflows/${id}`)).json();
    expect(gated.status).toBe("paused");
    expect(gated.steps[0]).toMatchObject({ status: "succeeded" });
    expect(gated.steps[1]).toMatchObject({ status: "awaiting_human", resolved_args: { to: "ada@example.com" } });
    expect(gated.steps[1].resolved_args.body).toEqual([
      { title: "AI news: first story", url: "https://news.example/1", snippet: "The first snippet" },
      { title: "AI news: second story", url: "https://news.example/2", snippet: "The second snippet" },
    ]);
    expect(smtp.mails).toHaveLength(0);

    const edit = await api(`/workflows/${id}/intervene`, {
      method: "POST",
      body: JSON.stringify({ step_id: "s2", args: { to: "bob@example.com" }, comment: "send it to Bob" }),
    });
    expect(edit.status).toBe(200);
    const resumed = await api(`/workflows/${id}/resume`, { method: "POST", body: "{}" });
    expect(resumed.status).toBe(200);

    while (!seen.includes("event: workflow.completed")) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect((await reader.read()).done).toBe(true); // the stream ends with the workflow
    const done = await (await api(`/workflows/${id}`)).json();
    expect(done.status).toBe("completed");
    expect(done.interventions[0].intervention).toMatchObject({
      args: { to: "bob@example.com" },
      comment: "send it to Bob",
    });

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(["bob@example.com"]);
    expect(mail.raw).toMatch(new RegExp(`Message-ID: <${id}\\.s2@tandem\\.local>`, "i"));
    expect(mail.raw).toContain("1. AI news: first story");
    expect(mail.raw).toContain("https://news.example/2");
    expect(mail.raw).not.toContain("[object Object]");

    const list = await (await api("/workflows?status=completed")).json();
    expect(list.workflows.map((w: { id: string }) => w.id)).toContain(id);
    expect((await api(`/workflows/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/workflows/${id}`)).status).toBe(404);

    expect(lines.some((l) => l.includes(`POST /api/workflows 201`))).toBe(true);
    expect(lines.some((l) => l.includes(`${id} completed`))).toBe(true);
    expect(lines.some((l) => l.includes(`${id}/s2 awaits a decision`))).toBe(true);
  });

  it("a step error is clear when a search fails, and other refusals hold on the real server", async () => {
    const wf = await (
      await api("/workflows", {
        method: "POST",
        body: JSON.stringify({
          steps: [{ id: "f", agent: "http", action: "FETCH", args: { url: `${server.url}/api/workflows` } }],
        }),
      })
    ).json();
    const failed = await waitFor(
      async () => (await api(`/workflows/${wf.id}`)).json(),
      (w) => w.status === "failed",
    );
    expect(failed.steps[0].error.message).toMatch(/not allowed/); // a step cannot reach this API
    expect((await fetch(`${server.url}/api/workflows`, { headers: { origin: "http://evil.example" } })).status).toBe(
      403,
    );
    expect(
      (
        await fetch(`${server.url}/api/workflows`, {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "[]",
        })
      ).status,
    ).toBe(415);
    expect((await api("/workflows/recurring")).status).toBe(200);
  });
});

describe("the dashboard's static files", () => {
  it("serves index.html at / with a strict CSP, assets with their types, and nothing outside the folder", async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(index.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const res = await fetch(`${server.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/(javascript|css)/);
    }
    for (const path of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/..%2fpackage.json",
      "/.env",
      "/%00",
      "/assets/../../src/main.ts",
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect([400, 404], path).toContain(res.status);
    }
    expect((await fetch(`${server.url}/some/client/route`)).headers.get("content-type")).toBe(
      "text/html; charset=utf-8",
    );
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/`, { method: "POST" })).status).toBe(405);
    // fetch() will not send a forged Host, so speak HTTP directly (DNS rebinding looks like this).
    for (const path of ["/", "/api/workflows"]) {
      const status = await new Promise<number>((resolve, reject) => {
        get(`${server.url}${path}`, { headers: { host: `attacker.example:${server.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on("error", reject);
      });
      expect(status, path).toBe(403);
    }
  });
});
