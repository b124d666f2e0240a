import { join } from "node:path";
import { schemas } from "@tandem/core";
import { makeEvent, makeStep } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

describe("step rows: spec and run state apart", () => {
  it("stores every field of core's step spec, and nothing of the run state, in the spec row", async () => {
    const store = openStore(join(dir, "fields.db"));
    const specKeys = Object.keys(schemas.stepSpecSchema.shape).sort();
    const full = makeStep("s0", {
      description: "d",
      retry: { max_attempts: 2, backoff_ms: 1 },
      timeout_ms: 5,
      outputs: ["o"],
      needs_human: true,
      args: { a: 1 },
    });
    // A field added to core's spec without the store learning it would be silently lost.
    expect(specKeys.every((key) => key in full)).toBe(true);
    await createChain(store, "wf", 1, { steps: [full] });
    const body = store.connection.prepare("SELECT body FROM steps WHERE workflow_id = 'wf'").pluck().get() as string;
    expect(Object.keys(JSON.parse(body)).sort()).toEqual(specKeys);
    expect((await store.getWorkflow("wf"))?.steps).toEqual([full]);
    await store.close();
  });

  it("writes a never-run step without a state row, and a transition without touching the spec row", async () => {
    const store = openStore(join(dir, "transition.db"));
    await createChain(store, "wf", 3);
    const states = () => store.connection.prepare("SELECT count(*) FROM step_state").pluck().get();
    expect(states()).toBe(0);
    const bodies = () => store.connection.prepare("SELECT body FROM steps ORDER BY seq").pluck().all();
    const before = bodies();
    const running = makeStep("s0", { status: "running", attempts: 1, started_at: "2026-01-01T00:00:00.000Z" });
    const changes = () => store.connection.prepare("SELECT total_changes()").pluck().get() as number;
    const changesBefore = changes();
    await store.commit({
      workflowId: "wf",
      steps: [running],
      specChanged: [],
      events: [makeEvent("wf", 2, "step.started", "s0")],
    });
    // The state row, the workflow's counts, the event: the spec row is not rewritten.
    expect(changes() - changesBefore).toBe(3);
    expect(bodies()).toEqual(before);
    expect(states()).toBe(1);
    expect((await store.getWorkflow("wf"))?.steps[0]).toEqual(running);
    await store.close();
  });

  it("removes a step's state with the step, and all of them with the workflow", async () => {
    const store = openStore(join(dir, "remove.db"));
    await createChain(store, "wf", 3);
    const ran = (id: string) => makeStep(id, { status: "succeeded", attempts: 1 });
    await store.commit({ workflowId: "wf", steps: [ran("s0"), ran("s1")], specChanged: [], events: [] });
    await store.commit({ workflowId: "wf", removedSteps: ["s1"], events: [] });
    const count = (table: string) => store.connection.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect([count("steps"), count("step_state")]).toEqual([2, 1]);
    expect((await store.getWorkflow("wf"))?.steps.map((s) => s.id)).toEqual(["s0", "s2"]);
    expect(await store.deleteWorkflow("wf")).toBe(true);
    expect([count("steps"), count("step_state")]).toEqual([0, 0]);
    await store.close();
  });
});
