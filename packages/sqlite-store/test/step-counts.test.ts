import { join } from "node:path";
import { createEngine, emptyStepCounts, type WorkflowRecord } from "@tandem/core";
import { defineTestAgent } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { openStore, tempDir } from "./helpers.js";

const dir = tempDir();

function countsOf(wf: WorkflowRecord) {
  const counts = emptyStepCounts();
  for (const step of wf.steps) counts[step.status]++;
  return counts;
}

describe("listing counts written with the engine's commits", () => {
  it("match the steps at every stage: running, waiting at a gate, after removals, done", async () => {
    const store = openStore(join(dir, "counts.db"));
    const agent = defineTestAgent("test");
    const engine = createEngine({ store, agents: [agent.plugin] });
    const wf = await engine.createWorkflow([
      { id: "a", agent: "test", action: "HOLD" },
      { id: "gate", agent: "test", action: "NOOP", needs_human: true },
      { id: "extra", agent: "test", action: "NOOP", depends_on: ["gate"] },
      { id: "fail", agent: "test", action: "FAIL", args: { fatal: true } },
      { id: "skip", agent: "test", action: "NOOP", depends_on: ["fail"] },
    ]);
    const check = async () => {
      const listed = (await engine.listWorkflows()).items.find((w) => w.id === wf.id)!;
      expect(listed.step_counts).toEqual(countsOf(await engine.getWorkflow(wf.id)));
      return listed.step_counts;
    };
    await agent.whenHeld("a");
    await new Promise((r) => setTimeout(r, 80)); // past startedFlushMs: the running row is written
    expect(await check()).toMatchObject({ running: 1, awaiting_human: 1, failed: 1, skipped: 1 });
    await engine.intervene(wf.id, { remove_steps: ["extra"] });
    expect(await check()).toMatchObject({ pending: 0, awaiting_human: 1 });
    agent.release("a");
    await engine.onIdle();
    await engine.intervene(wf.id, { step_id: "gate", approve: true });
    await engine.onIdle();
    expect(await check()).toEqual({
      pending: 0,
      running: 0,
      awaiting_human: 0,
      succeeded: 2,
      failed: 1,
      skipped: 1,
      cancelled: 0,
    });
    await engine.close();
  });
});
