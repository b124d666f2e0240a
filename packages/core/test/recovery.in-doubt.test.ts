import { createEngine, MemoryStore } from "@tandem/core";
import { defineTestAgent } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { step } from "./helpers.js";

/** A store left as a process killed mid-send would leave it: the send step `running`. */
async function crashedWithSendRunning(store: MemoryStore): Promise<string> {
  const never = () => new Promise(() => {});
  const dying = createEngine({
    store,
    agents: [{ name: "test", actions: { SEND: { description: "", idempotent: false, run: never } } }],
  });
  const wf = await dying.createWorkflow([step("mail", "SEND"), step("after", "SEND", { depends_on: ["mail"] })]);
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  expect((await store.getWorkflow(wf.id))?.steps[0].status).toBe("running");
  return wf.id;
}

describe("a non-idempotent step found running after a crash", () => {
  it("waits in doubt; approve sends it once more and clears the doubt", async () => {
    const store = new MemoryStore();
    const id = await crashedWithSendRunning(store);
    const agent = defineTestAgent("test");
    const engine = createEngine({ store, agents: [agent.plugin] });
    await engine.ready();
    await engine.onIdle();
    const waiting = await engine.getWorkflow(id);
    expect(waiting.status).toBe("paused");
    expect(waiting.steps[0]).toMatchObject({ status: "awaiting_human", in_doubt: true, attempts: 1 });
    expect(agent.calls).toHaveLength(0);
    await engine.intervene(id, { step_id: "mail", approve: true, comment: "it did not go out" });
    await engine.onIdle();
    const done = await engine.getWorkflow(id);
    expect(done.status).toBe("completed");
    expect(done.steps[0]).toMatchObject({ status: "succeeded", in_doubt: false, attempts: 2 });
    expect(agent.calls.map((c) => [c.stepId, c.attempt])).toEqual([
      ["mail", 2],
      ["after", 1],
    ]);
  });

  it("reject skips it and what depends on it, without sending", async () => {
    const store = new MemoryStore();
    const id = await crashedWithSendRunning(store);
    const agent = defineTestAgent("test");
    const engine = createEngine({ store, agents: [agent.plugin] });
    await engine.ready();
    await engine.intervene(id, { step_id: "mail", approve: false, comment: "it went out twice already" });
    await engine.onIdle();
    const done = await engine.getWorkflow(id);
    expect(done.steps.map((s) => [s.status, s.in_doubt])).toEqual([
      ["skipped", false],
      ["skipped", false],
    ]);
    expect(agent.calls).toHaveLength(0);
  });
});
