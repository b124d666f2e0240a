import { FakeClock } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { harness, step } from "./helpers.js";

describe("executor guarantees at run time", () => {
  it("interrupt during a retry's backoff cancels the retry: nothing runs until resume", async () => {
    const clock = new FakeClock(0);
    const { engine, agent } = harness({ clock, random: () => 0 });
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { times: 1 }, retry: { max_attempts: 2, backoff_ms: 1000 } }),
    ]);
    await clock.settle();
    expect(agent.calls).toHaveLength(1);
    await engine.interrupt(wf.id);
    await clock.advance(10_000);
    await engine.onIdle();
    expect(agent.calls).toHaveLength(1);
    expect((await engine.getWorkflow(wf.id)).status).toBe("paused");
    await engine.resume(wf.id);
    await clock.settle();
    await engine.onIdle();
    expect(agent.calls).toHaveLength(2);
    expect((await engine.getWorkflow(wf.id)).status).toBe("completed");
  });

  it("a reference whose path finds no value at run time fails the step, never runs it with a hole", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("s1", "ECHO", { args: { value: { present: 1 } }, outputs: ["value"] }),
      step("s2", "ECHO", { args: { value: "$s1.value.absent" }, depends_on: ["s1"] }),
      step("s3", "ECHO", { args: { value: "text with $s1.value.absent inside" }, depends_on: ["s1"] }),
    ]);
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.steps.slice(1).map((s) => [s.status, s.error?.code])).toEqual([
      ["failed", "unresolved_reference"],
      ["failed", "unresolved_reference"],
    ]);
    expect(agent.calls.map((c) => c.stepId)).toEqual(["s1"]);
  });
});
