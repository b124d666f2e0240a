import { createEngine, MemoryStore } from "@tandem/core";
import { defineTestAgent } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { harness, statuses, step } from "./helpers.js";

describe("lifecycle", () => {
  it("start: a workflow created with start=false stays pending until started", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow({ steps: [step("a", "NOOP")], start: false });
    expect(wf.status).toBe("pending");
    await engine.onIdle();
    expect(agent.calls).toHaveLength(0);
    await engine.start(wf.id);
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("completed");
  });

  it("interrupt aborts running steps, returns them to pending, and resume runs them again", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([step("h", "HOLD"), step("after", "NOOP", { depends_on: ["h"] })]);
    await agent.whenHeld("h");
    const paused = await engine.interrupt(wf.id);
    expect(paused.status).toBe("paused");
    expect(paused.steps[0]).toMatchObject({ status: "pending", attempts: 0 });
    expect(agent.aborted).toEqual(["h"]);
    await engine.onIdle();
    expect(agent.calls).toHaveLength(1);
    await engine.resume(wf.id);
    await agent.whenHeld("h");
    agent.release("h");
    await engine.onIdle();
    expect(await statuses(engine, wf.id)).toEqual({ h: "succeeded", after: "succeeded" });
    const types = (await engine.listEvents(wf.id)).map((e) => e.type);
    expect(types).toContain("step.interrupted");
    expect(types).toContain("workflow.resumed");
  });

  it("an interrupted agent that ignores its signal cannot write its result", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([step("h", "IGNORE_SIGNAL")]);
    await agent.whenHeld("h");
    await engine.interrupt(wf.id);
    agent.release("h", { value: "late" });
    await engine.onIdle();
    const s = (await engine.getWorkflow(wf.id)).steps[0];
    expect(s).toMatchObject({ status: "pending", result: null });
  });

  it("an approval does not restart a workflow a person interrupted", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("g", "ECHO", { args: { value: 1 }, needs_human: true }),
      step("h", "HOLD"),
    ]);
    await agent.whenHeld("h");
    await engine.interrupt(wf.id);
    await engine.intervene(wf.id, { step_id: "g", approve: true });
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("paused");
    expect(agent.calls.filter((c) => c.stepId === "g")).toHaveLength(0);
  });

  it("resume of a failed workflow re-runs failed steps and what they skipped", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { times: 1 } }),
      step("after", "NOOP", { depends_on: ["f"] }),
      step("ok", "NOOP"),
    ]);
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("failed");
    await engine.resume(wf.id);
    await engine.onIdle();
    expect(await statuses(engine, wf.id)).toEqual({ f: "succeeded", after: "succeeded", ok: "succeeded" });
    expect(agent.calls.filter((c) => c.stepId === "ok")).toHaveLength(1);
  });

  it("a failed workflow resumed is one run: commands while it runs reach the running steps", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { times: 1 } }),
      step("h", "HOLD", { depends_on: ["f"] }),
    ]);
    await engine.onIdle();
    await engine.resume(wf.id);
    await agent.whenHeld("h");
    // The interrupt must abort the attempt that is running, not act on a second copy of the run.
    const paused = await engine.interrupt(wf.id);
    expect(paused.status).toBe("paused");
    expect(paused.steps[1].status).toBe("pending");
    await engine.onIdle();
    expect(agent.held.includes("h")).toBe(false);
    const events = (await engine.listEvents(wf.id)).map((e) => e.type);
    expect(events.filter((t) => t === "step.interrupted")).toHaveLength(1);
    await engine.resume(wf.id);
    await agent.whenHeld("h");
    agent.release("h");
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("completed");
  });

  it("resume of a failed workflow announces every step it reopens", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { times: 1 } }),
      step("after", "NOOP", { depends_on: ["f"] }),
    ]);
    await engine.onIdle();
    const before = (await engine.listEvents(wf.id)).length;
    await engine.resume(wf.id);
    await engine.onIdle();
    const events = (await engine.listEvents(wf.id)).slice(before);
    const reopened = events.filter((e) => e.type === "step.reopened");
    expect(reopened.map((e) => [e.step_id, e.data])).toEqual([
      ["f", { from: "failed", by: "resume" }],
      ["after", { from: "skipped", by: "resume" }],
    ]);
    // Announced before either step starts again.
    expect(events.findIndex((e) => e.type === "step.started")).toBeGreaterThan(events.indexOf(reopened[1]!));
  });

  it("an output supplied for the failed step of a failed workflow lets it continue", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { outputs: ["value"] }),
      step("after", "ECHO", { args: { value: "$value" }, depends_on: ["f"] }),
      step("other", "NOOP"),
    ]);
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("failed");
    const continued = await engine.intervene(wf.id, { step_id: "f", output: { value: "by hand" } });
    expect(continued.status).toBe("running");
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(done.steps.map((s) => s.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(agent.calls.find((c) => c.stepId === "after")?.args).toEqual({ value: "by hand" });
    const types = (await engine.listEvents(wf.id)).map((e) => e.type);
    expect(types).toContain("step.reopened");
    expect(types.slice(-1)).toEqual(["workflow.completed"]);
    expect(types.filter((t) => t === "workflow.resumed")).toHaveLength(1);
  });

  it("refuses what a finished workflow cannot do", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow([step("a", "NOOP")]);
    await engine.onIdle();
    await expect(engine.interrupt(wf.id)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(engine.resume(wf.id)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(engine.intervene(wf.id, { variables: { a: 1 } })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(engine.resume("nope")).rejects.toMatchObject({ code: "not_found" });
    await expect(engine.getWorkflow("nope")).rejects.toMatchObject({ code: "not_found" });
  });

  it("cancel aborts running steps and ends the workflow cancelled; resume then refuses", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([step("h", "HOLD"), step("after", "NOOP", { depends_on: ["h"] })]);
    await agent.whenHeld("h");
    const cancelled = await engine.cancel(wf.id);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.steps.map((s) => s.status)).toEqual(["cancelled", "cancelled"]);
    expect(agent.aborted).toEqual(["h"]);
    await expect(engine.resume(wf.id)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("delete cancels a running workflow first, then removes it and its events", async () => {
    const { engine, agent } = harness();
    const seen: string[] = [];
    engine.events.on("event", (e) => seen.push(e.type));
    const wf = await engine.createWorkflow([step("h", "HOLD")]);
    await agent.whenHeld("h");
    await engine.deleteWorkflow(wf.id);
    expect(agent.aborted).toEqual(["h"]);
    await expect(engine.getWorkflow(wf.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(engine.listEvents(wf.id)).rejects.toMatchObject({ code: "not_found" });
    expect(seen.slice(-2)).toEqual(["workflow.cancelled", "workflow.deleted"]);
    await expect(engine.deleteWorkflow(wf.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("recovers after a crash: succeeded steps kept, idempotent running steps re-run, non-idempotent ones wait in doubt", async () => {
    const store = new MemoryStore();
    const never = () => new Promise(() => {});
    const keys: Record<string, string> = {};
    // The first process's agents never finish: it "dies" with h and mail running.
    const crashed = createEngine({
      store,
      agents: [
        {
          name: "test",
          actions: {
            NOOP: { description: "", run: () => null },
            HOLD: {
              description: "",
              run: (_a, ctx) => {
                keys.h = ctx.idempotencyKey;
                return never();
              },
            },
            SEND: { description: "", idempotent: false, run: never },
          },
        },
      ],
    });
    const wf = await crashed.createWorkflow([
      step("done", "NOOP"),
      step("h", "HOLD", { depends_on: ["done"] }),
      step("mail", "SEND", { depends_on: ["done"] }),
      step("last", "NOOP", { depends_on: ["h", "mail"] }),
    ]);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect((await store.getWorkflow(wf.id))?.steps.map((s) => s.status)).toEqual([
      "succeeded",
      "running",
      "running",
      "pending",
    ]);

    const second = defineTestAgent("test");
    const restarted = createEngine({ store, agents: [second.plugin] });
    await restarted.ready();
    await second.whenHeld("h");
    expect(second.calls.map((c) => c.stepId)).toEqual(["h"]);
    expect(second.calls[0].idempotencyKey).toBe(keys.h);
    second.release("h");
    await restarted.onIdle();
    const waiting = await restarted.getWorkflow(wf.id);
    expect(waiting.status).toBe("paused");
    expect(waiting.steps[2]).toMatchObject({ status: "awaiting_human", in_doubt: true });
    // A person says the email did go out: the workflow completes without sending again.
    await restarted.intervene(wf.id, { step_id: "mail", output: { sent: true } });
    await restarted.onIdle();
    expect((await restarted.getWorkflow(wf.id)).status).toBe("completed");
    expect(second.calls.filter((c) => c.action === "SEND")).toHaveLength(0);
  });

  it("close aborts running steps without recording them finished, so a restart re-runs them", async () => {
    const store = new MemoryStore();
    const { engine, agent } = harness({ store });
    const wf = await engine.createWorkflow([step("h", "HOLD")]);
    await agent.whenHeld("h");
    const closeStore = store.close.bind(store);
    store.close = async () => {}; // keep the in-memory data for the "restart"
    await engine.close();
    expect(agent.aborted).toEqual(["h"]);
    expect((await store.getWorkflow(wf.id))?.steps[0].status).toBe("running");
    await expect(engine.createWorkflow([step("x", "NOOP")])).rejects.toMatchObject({ code: "invalid_state" });
    const again = harness({ store });
    await again.agent.whenHeld("h");
    again.agent.release("h");
    await again.engine.onIdle();
    expect((await again.engine.getWorkflow(wf.id)).status).toBe("completed");
    await closeStore();
  });
});
