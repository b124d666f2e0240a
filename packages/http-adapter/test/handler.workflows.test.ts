import { FakeClock } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { errorOf, makeEngine, setup, twoSteps } from "./helpers.js";

const variables = { user_email: "ada@example.com" };

describe("workflow routes", () => {
  it("creates from the object form (201), runs to the human gate, and reads it back", async () => {
    const { post, call, engine } = setup();
    const res = await post("/api/workflows", { name: "news", steps: twoSteps, variables });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const created = await res.json();
    expect(created).toMatchObject({ name: "news", variables });
    await engine.onIdle();
    const got = await call("GET", `/api/workflows/${created.id}`);
    expect(got.status).toBe(200);
    const wf = await got.json();
    expect(wf.status).toBe("paused");
    expect(wf.steps[1]).toMatchObject({ id: "s2", status: "awaiting_human", resolved_args: { to: "ada@example.com" } });
    for (const key of [
      "id",
      "name",
      "status",
      "variables",
      "created_at",
      "updated_at",
      "schedule_id",
      "scheduled_for",
      "interventions",
      "steps",
    ]) {
      expect(wf).toHaveProperty(key);
    }
  });

  it("creates from a bare step list, and start:false leaves it pending", async () => {
    const { post } = setup();
    const bare = await post("/api/workflows", [{ id: "a", agent: "test", action: "ECHO", args: { value: 1 } }]);
    expect(bare.status).toBe(201);
    const pending = await post("/api/workflows", { steps: twoSteps, variables, start: false });
    expect((await pending.json()).status).toBe("pending");
  });

  it("400 invalid_workflow with every problem in details", async () => {
    const { post } = setup();
    const res = await post("/api/workflows", {
      steps: [
        { id: "a", agent: "test", action: "ECHO", args: { value: 1 }, depends_on: ["b"] },
        { id: "b", agent: "test", action: "ECHO", args: { value: 1 }, depends_on: ["a"] },
        { id: "c", agent: "nope", action: "X" },
      ],
    });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("invalid_workflow");
    expect(error.details!.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(error.details)).toMatch(/a -> b -> a|b -> a -> b/);
    expect(JSON.stringify(error)).not.toMatch(/at .*\.ts:\d+/); // no stack
  });

  it("400 on unknown fields and bad types, reported by path", async () => {
    const { post } = setup();
    const res = await post("/api/workflows", [{ id: "bad id!", agent: "test", action: "ECHO", extra: 1 }]);
    const error = await errorOf(res);
    expect(res.status).toBe(400);
    expect(error.code).toBe("invalid_workflow");
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: [0, "id"] }),
        expect.objectContaining({ path: [0, "extra"], code: "unknown_field" }),
      ]),
    );
    expect(JSON.stringify(error.details)).not.toContain("unrecognized_keys");
  });

  it("400 reports schema and semantic problems together, with the engine's paths, for both forms", async () => {
    const steps = [
      { id: "s1", agent: "test", action: "ECHO", args: { value: 1 }, bogus: 1 },
      { id: "s2", agent: "nope", action: "X", depends_on: ["s3"] },
      { id: "s3", agent: "test", action: "ECHO", depends_on: ["s2"] },
    ];
    const { post, engine } = setup({ variables: { user_email: "ada@example.com" } });
    const bare = await post("/api/workflows", steps);
    expect(bare.status).toBe(400);
    const error = await errorOf(bare);
    expect(error.code).toBe("invalid_workflow");
    const expected = [
      { path: [0, "bogus"], code: "unknown_field" },
      { path: [1, "agent"], code: "unknown_agent" },
      { path: [1, "depends_on"], code: "cycle", message: expect.stringContaining("s2 -> s3 -> s2") },
    ];
    expect(error.details).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
    // One convention for a bare list: the engine's own, from the step index, schema and semantic alike.
    expect(error.details).toEqual(engine.validate(steps));
    expect(error.message).not.toContain("steps.");

    const object = await errorOf(await post("/api/workflows", { steps, extra: true }));
    expect(object.details).toEqual(engine.validate({ steps, extra: true }));
    expect(object.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ["extra"], code: "unknown_field" }),
        ...expected.map((e) => expect.objectContaining({ ...e, path: ["steps", ...e.path] })),
      ]),
    );
  });

  it("400 for a body that is not a workflow, and for a bad start, alongside the other issues", async () => {
    const { post } = setup();
    const scalar = await post("/api/workflows", "steps");
    expect(scalar.status).toBe(400);
    expect((await errorOf(scalar)).details).toEqual([expect.objectContaining({ path: [], code: "invalid_type" })]);
    const res = await post("/api/workflows", { steps: [{ id: "a", agent: "nope", action: "X" }], start: "yes" });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ["start"], code: "invalid_type" }),
        expect.objectContaining({ path: ["steps", 0, "agent"], code: "unknown_agent" }),
      ]),
    );
  });

  it("merges the handler's default variables under the document's own", async () => {
    const { post } = setup({ variables: { user_email: "ada@example.com", who: "host" } });
    const bare = await (
      await post("/api/workflows", [{ id: "a", agent: "test", action: "ECHO", args: { value: "$who" } }])
    ).json();
    expect(bare.variables).toEqual({ user_email: "ada@example.com", who: "host" });
    const object = await (await post("/api/workflows", { steps: twoSteps, variables: { who: "doc" } })).json();
    expect(object.variables).toEqual({ user_email: "ada@example.com", who: "doc" });
    const bad = await post("/api/workflows", { steps: twoSteps, variables: 5 });
    expect((await errorOf(bad)).details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: ["variables"], code: "invalid_type" })]),
    );
  });

  it("404 for an unknown workflow on every route, 400 for an id that breaks the pattern", async () => {
    const { call, post } = setup();
    expect((await call("GET", "/api/workflows/nope")).status).toBe(404);
    expect((await call("DELETE", "/api/workflows/nope")).status).toBe(404);
    expect((await post("/api/workflows/nope/interrupt")).status).toBe(404);
    expect((await post("/api/workflows/nope/resume")).status).toBe(404);
    expect((await post("/api/workflows/nope/intervene", { variables: {} })).status).toBe(404);
    expect((await call("GET", "/api/workflows/nope/events")).status).toBe(404);
    const bad = await call("GET", `/api/workflows/${"x".repeat(65)}`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details).toEqual([expect.objectContaining({ code: "invalid_id" })]);
    expect((await call("GET", "/api/workflows/a%2Fb")).status).toBe(400);
  });

  it("never reads recurring, generate or wizard as a workflow id", async () => {
    const { call, post } = setup();
    const generate = await call("GET", "/api/workflows/generate");
    expect(generate.status).toBe(405);
    expect(generate.headers.get("allow")).toBe("POST");
    expect((await call("DELETE", "/api/workflows/generate")).status).toBe(405);
    expect((await call("GET", "/api/workflows/wizard")).status).toBe(404);
    expect((await call("DELETE", "/api/workflows/recurring")).status).toBe(405);
    expect((await post("/api/workflows/generate/resume")).status).toBe(404);
    expect((await call("GET", "/api/workflows/recurring/events")).status).toBe(503); // a schedule route, not a workflow
  });

  it("lists newest first with filters, limits and a cursor", async () => {
    const clock = new FakeClock();
    const { post, call, engine } = setup({ engine: makeEngine(clock) });
    for (let i = 0; i < 3; i++) {
      await post("/api/workflows", { name: `w${i}`, steps: twoSteps, variables, start: false });
      await clock.advance(1000);
    }
    await post("/api/workflows", { name: "run", steps: twoSteps, variables });
    await engine.onIdle();
    const page1 = await (await call("GET", "/api/workflows?limit=2")).json();
    expect(page1.workflows).toHaveLength(2);
    expect(page1.workflows[0].name).toBe("run");
    expect(page1.workflows[0].step_counts).toBeTypeOf("object");
    expect(page1.next_cursor).toBeTypeOf("string");
    const page2 = await (
      await call("GET", `/api/workflows?limit=2&cursor=${encodeURIComponent(page1.next_cursor)}`)
    ).json();
    expect(page2.workflows.map((w: { name: string }) => w.name)).toEqual(["w1", "w0"]);
    const pending = await (await call("GET", "/api/workflows?status=pending")).json();
    expect(pending.workflows).toHaveLength(3);
    const bad = await call("GET", "/api/workflows?limit=501&status=nope");
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).details).toHaveLength(2);
  });

  it("interrupt, resume and the 409s of finished workflows", async () => {
    const { post, engine } = setup();
    const wf = await (await post("/api/workflows", [{ id: "w", agent: "test", action: "WAIT" }])).json();
    const interrupted = await post(`/api/workflows/${wf.id}/interrupt`);
    expect(interrupted.status).toBe(200);
    expect((await interrupted.json()).status).toBe("paused");
    const resumed = await post(`/api/workflows/${wf.id}/resume`);
    expect(resumed.status).toBe(200);
    expect((await resumed.json()).status).toBe("running");
    await engine.cancel(wf.id);
    const again = await post(`/api/workflows/${wf.id}/resume`);
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe("invalid_state");
    expect((await post(`/api/workflows/${wf.id}/interrupt`)).status).toBe(409);
    const done = await (
      await post("/api/workflows", [{ id: "e", agent: "test", action: "ECHO", args: { value: 1 } }])
    ).json();
    await engine.onIdle();
    expect((await post(`/api/workflows/${done.id}/resume`)).status).toBe(409);
    expect((await post(`/api/workflows/${done.id}/interrupt`)).status).toBe(409);
    expect((await post(`/api/workflows/${done.id}/resume`, { unexpected: true })).status).toBe(400);
  });

  it("intervene: edit args then approve; 400 on a bad body; 409 when the step already ran", async () => {
    const { post, call, engine } = setup();
    const wf = await (await post("/api/workflows", { steps: twoSteps, variables })).json();
    await engine.onIdle();
    const edit = await post(`/api/workflows/${wf.id}/intervene`, {
      step_id: "s2",
      args: { to: "bob@example.com" },
      comment: "not Ada",
    });
    expect(edit.status).toBe(200);
    const invalid = await post(`/api/workflows/${wf.id}/intervene`, { step_id: "s2", approve: "yes" });
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).details).toEqual([expect.objectContaining({ path: ["approve"] })]);
    const approved = await post(`/api/workflows/${wf.id}/intervene`, { step_id: "s2", approve: true });
    expect(approved.status).toBe(200);
    await engine.onIdle();
    const done = await (await call("GET", `/api/workflows/${wf.id}`)).json();
    expect(done.status).toBe("completed");
    expect(done.steps[1].result).toEqual({ sent_to: "bob@example.com" });
    expect(done.interventions.map((i: { intervention: unknown }) => i.intervention)).toEqual([
      { step_id: "s2", args: { to: "bob@example.com" }, comment: "not Ada" },
      { step_id: "s2", approve: true },
    ]);
    const late = await post(`/api/workflows/${wf.id}/intervene`, { step_id: "s1", args: { value: 2 } });
    expect([409]).toContain(late.status);
  });

  it("intervene: add_steps problems come from the engine, every one at its key's path", async () => {
    const { post, engine } = setup();
    const wf = await (await post("/api/workflows", { steps: twoSteps, variables })).json();
    await engine.onIdle();
    const added = await post(`/api/workflows/${wf.id}/intervene`, {
      add_steps: [{ id: "bad id!", agent: "test", action: "ECHO", bogus: 1 }],
      extra: true,
    });
    expect(added.status).toBe(400);
    const error = await errorOf(added);
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ["add_steps", 0, "id"] }),
        expect.objectContaining({ path: ["add_steps", 0, "bogus"], code: "unknown_field" }),
        expect.objectContaining({ path: ["extra"], code: "unknown_field" }),
      ]),
    );
    expect(JSON.stringify(error.details)).not.toContain("unrecognized_keys");
    const semantic = await post(`/api/workflows/${wf.id}/intervene`, {
      add_steps: [{ id: "x", agent: "nope", action: "X", depends_on: ["zz"] }],
    });
    expect(semantic.status).toBe(400);
    expect((await errorOf(semantic)).details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ["add_steps", 0, "agent"], code: "unknown_agent" }),
        expect.objectContaining({ path: ["add_steps", 0, "depends_on", 0], code: "unknown_dependency" }),
      ]),
    );
  });

  it("delete: 204, then 404", async () => {
    const { post, call } = setup();
    const wf = await (await post("/api/workflows", [{ id: "w", agent: "test", action: "WAIT" }])).json();
    expect((await call("DELETE", `/api/workflows/${wf.id}`)).status).toBe(204);
    expect((await call("GET", `/api/workflows/${wf.id}`)).status).toBe(404);
    expect((await call("DELETE", `/api/workflows/${wf.id}`)).status).toBe(404);
  });

  it("GET /agents is the catalog with arg schemas", async () => {
    const { call } = setup();
    const body = await (await call("GET", "/api/agents")).json();
    expect(body.agents[0]).toMatchObject({ name: "test" });
    const send = body.agents[0].actions.find((a: { name: string }) => a.name === "SEND");
    expect(send).toMatchObject({ needs_human: true, idempotent: false });
    expect(send.args_schema).toMatchObject({ type: "object" });
  });

  it("404 for unknown routes, and routes work with the prefix stripped by the host or a custom basePath", async () => {
    const { call } = setup();
    expect((await call("GET", "/api/nothing")).status).toBe(404);
    expect((await call("GET", "/workflows")).status).toBe(200); // Hono mount strips /api
    const custom = setup({ basePath: "/tandem/v1/" });
    expect((await custom.call("GET", "/tandem/v1/workflows")).status).toBe(200);
    expect((await custom.call("GET", "/tandem/v1/agents")).status).toBe(200);
  });

  it("unknown errors are logged and answered internal_error without a stack", async () => {
    const logged: unknown[] = [];
    const { engine } = setup();
    const broken = Object.create(engine, {
      listWorkflows: {
        value: async () => {
          throw new TypeError("secret detail at /srv/app.ts:12");
        },
      },
    });
    const { call } = setup({
      engine: broken,
      logger: { debug() {}, info() {}, warn() {}, error: (...a: unknown[]) => logged.push(a) },
    });
    const res = await call("GET", "/api/workflows");
    expect(res.status).toBe(500);
    const error = await errorOf(res);
    expect(error.code).toBe("internal_error");
    expect(JSON.stringify(error)).not.toContain("secret");
    expect(JSON.stringify(logged)).toContain("secret detail");
  });
});
