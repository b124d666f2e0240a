/** The Hono app (served by @hono/node-server) on a real socket (127.0.0.1, port 0): Tandem under /api next to the app's own routes. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { WorkflowRecord } from "@tandem/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";

const { app, engine } = createApp();
let url = "";
let server: ReturnType<typeof serve>;
beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if ("closeAllConnections" in server) server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await engine.close();
});
const post = (path: string, body: unknown, type = "application/json") =>
  fetch(`${url}${path}`, { method: "POST", headers: { "content-type": type }, body: JSON.stringify(body) });
const getWorkflow = async (path: string) => (await (await fetch(`${url}${path}`)).json()) as WorkflowRecord;

describe("mount-hono", () => {
  it("creates a workflow through POST /api/workflows and reads it back with GET", async () => {
    const created = await post("/api/workflows", {
      steps: [{ id: "hi", agent: "greeter", action: "HELLO", args: { name: "$who" }, outputs: ["text"] }],
      variables: { who: "ann" },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as WorkflowRecord;
    await expect.poll(async () => (await getWorkflow(`/api/workflows/${id}`)).status).toBe("completed");
    expect((await getWorkflow(`/api/workflows/${id}`)).steps[0]!.result).toEqual({ text: "hello ann" });
    const list = (await (await fetch(`${url}/api/workflows`)).json()) as { workflows: { id: string }[] };
    expect(list.workflows.map((w) => w.id)).toContain(id);
  });

  it("keeps Tandem's own body rules and error bodies under /api", async () => {
    const invalid = await post("/api/workflows", [{ id: "x", agent: "nope", action: "X" }]);
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe("invalid_workflow");
    expect((await post("/api/workflows", [], "text/plain")).status).toBe(415);
    expect((await fetch(`${url}/api/workflows/unknown-id`)).status).toBe(404);
  });

  it("serves the app's own routes, whose JSON parser starts workflows on the same engine", async () => {
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true });
    expect((await post("/greet", { nom: "x" })).status).toBe(400);
    const greeted = await post("/greet", { name: "bob" });
    expect(greeted.status).toBe(202);
    const { status_url } = (await greeted.json()) as { status_url: string };
    await expect.poll(async () => (await getWorkflow(status_url)).steps[0]!.result).toEqual({ text: "hello bob" });
  });
});
