import { createEngine, MemoryStore } from "@tandem/core";
import { defineTestAgent, FakeClock } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { harness, statuses, step } from "./helpers.js";

describe("human decisions keep their promises", () => {
  it("a refused intervention changes nothing in memory either: later commits carry the old values", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow({
      steps: [step("g", "ECHO", { args: { value: "$v" }, needs_human: true })],
      variables: { v: "kept" },
    });
    await engine.onIdle();
    // Valid variables and args, refused as a whole because of the cycle beside them.
    const cycle = [step("x", "NOOP", { depends_on: ["y"] }), step("y", "NOOP", { depends_on: ["x"] })];
    await expect(engine.intervene(wf.id, { variables: { v: "leaked" }, add_steps: cycle })).rejects.toMatchObject({
      code: "invalid_workflow",
    });
    await expect(
      engine.intervene(wf.id, { step_id: "g", args: { value: "leaked too" }, add_steps: cycle }),
    ).rejects.toMatchObject({ code: "invalid_workflow" });
    // The next accepted change resolves the gate again from the args as they stand in memory.
    const refreshed = await engine.intervene(wf.id, { variables: { w: 1 } });
    expect(refreshed.steps[0].resolved_args).toEqual({ value: "kept" });
    await engine.intervene(wf.id, { step_id: "g", approve: true });
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.variables).toEqual({ v: "kept", w: 1 });
    expect(done.steps[0].args).toEqual({ value: "$v" });
    expect(agent.calls.map((c) => c.args)).toEqual([{ value: "kept" }]);
  });

  it("a refused args edit on a running workflow's pending step leaves the args it then runs with", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("h", "HOLD"),
      step("p", "ECHO", { args: { value: "original" }, depends_on: ["h"] }),
    ]);
    await agent.whenHeld("h");
    const cycle = [step("x", "NOOP", { depends_on: ["y"] }), step("y", "NOOP", { depends_on: ["x"] })];
    await expect(
      engine.intervene(wf.id, { step_id: "p", args: { value: "leaked" }, variables: { z: 1 }, add_steps: cycle }),
    ).rejects.toMatchObject({ code: "invalid_workflow" });
    agent.release("h");
    await engine.onIdle();
    expect(agent.calls.find((c) => c.stepId === "p")?.args).toEqual({ value: "original" });
    const done = await engine.getWorkflow(wf.id);
    expect(done.variables).toEqual({});
    expect(done.steps[1].args).toEqual({ value: "original" });
  });

  it("an added step of an action that always needs a person waits for one, whatever it says", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("a", "NOOP"),
      step("gate", "NOOP", { depends_on: ["a"], needs_human: true }),
    ]);
    await engine.onIdle();
    await engine.intervene(wf.id, { add_steps: [step("sneaky", "GATED", { depends_on: ["a"], needs_human: false })] });
    await engine.onIdle();
    const now = await engine.getWorkflow(wf.id);
    expect(now.steps.find((s) => s.id === "sneaky")).toMatchObject({ needs_human: true, status: "awaiting_human" });
    expect(agent.calls.some((c) => c.stepId === "sneaky")).toBe(false);
  });

  it("an in-doubt gate keeps the args its attempt ran with, and approval runs exactly those", async () => {
    const store = new MemoryStore();
    const never = () => new Promise(() => {});
    const dying = createEngine({
      store,
      agents: [{ name: "test", actions: { SEND: { description: "", idempotent: false, run: never } } }],
    });
    const wf = await dying.createWorkflow({
      steps: [step("mail", "SEND", { args: { to: "$who" } })],
      variables: { who: "ann@example.com" },
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const agent = defineTestAgent("test");
    const engine = createEngine({ store, agents: [agent.plugin] });
    await engine.onIdle();
    await engine.intervene(wf.id, { variables: { who: "bob@example.com" } });
    const shown = await engine.getWorkflow(wf.id);
    expect(shown.steps[0]).toMatchObject({ in_doubt: true, resolved_args: { to: "ann@example.com" } });
    await engine.intervene(wf.id, { step_id: "mail", approve: true });
    await engine.onIdle();
    expect(agent.calls.map((c) => c.args)).toEqual([{ to: "ann@example.com" }]);
  });

  it("a pending step that already ran an attempt (waiting to retry) cannot be removed", async () => {
    const clock = new FakeClock(0);
    const { engine } = harness({ clock, random: () => 0 });
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { times: 1 }, retry: { max_attempts: 2, backoff_ms: 60_000 } }),
      step("other", "HOLD"),
    ]);
    await clock.settle();
    expect((await engine.getWorkflow(wf.id)).steps[0]).toMatchObject({ status: "pending", attempts: 1 });
    await expect(engine.intervene(wf.id, { remove_steps: ["f"] })).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("resume of a failed workflow re-runs what failure skipped, never what a person rejected", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { times: 1 } }),
      step("afterFail", "NOOP", { depends_on: ["f"] }),
      step("gate", "NOOP", { needs_human: true }),
      step("afterGate", "NOOP", { depends_on: ["gate"] }),
    ]);
    await engine.onIdle();
    await engine.intervene(wf.id, { step_id: "gate", approve: false });
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("failed");
    await engine.resume(wf.id);
    await engine.onIdle();
    expect(await statuses(engine, wf.id)).toEqual({
      f: "succeeded",
      afterFail: "succeeded",
      gate: "skipped",
      afterGate: "skipped",
    });
    expect(agent.calls.some((c) => c.stepId === "afterGate")).toBe(false);
  });
});
