import { FakeClock } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";
import { harness, step } from "./helpers.js";

describe("retries, backoff and timeouts (fake clock)", () => {
  it("retries with exponential backoff and jitter, then succeeds", async () => {
    const clock = new FakeClock(0);
    const { engine, agent } = harness({ clock, random: () => 0 });
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { times: 2 }, retry: { max_attempts: 3, backoff_ms: 1000 } }),
    ]);
    await clock.settle();
    expect(agent.calls).toHaveLength(1);
    const retrying = (await engine.listEvents(wf.id)).filter((e) => e.type === "step.retrying");
    // random() = 0 gives the low end of the jitter window: base · 2^(n-1) · 0.5.
    expect(retrying.map((e) => e.data.delay_ms)).toEqual([500]);
    await clock.advance(499);
    expect(agent.calls).toHaveLength(1);
    await clock.advance(1);
    expect(agent.calls).toHaveLength(2);
    await clock.advance(999);
    expect(agent.calls).toHaveLength(2);
    await clock.advance(1);
    await engine.onIdle();
    expect(agent.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(done.steps[0]).toMatchObject({ attempts: 3, status: "succeeded", result: { value: "ok after 3" } });
  });

  it("jitter stays within [0.5, 1] of the exponential delay", async () => {
    const clock = new FakeClock(0);
    const { engine } = harness({ clock, random: () => 1 });
    const wf = await engine.createWorkflow([step("f", "FAIL", { retry: { max_attempts: 3, backoff_ms: 100 } })]);
    await clock.runAll();
    await engine.onIdle();
    const delays = (await engine.listEvents(wf.id))
      .filter((e) => e.type === "step.retrying")
      .map((e) => e.data.delay_ms);
    expect(delays).toEqual([100, 200]);
    expect((await engine.getWorkflow(wf.id)).status).toBe("failed");
  });

  it("gives up once attempts are spent", async () => {
    const clock = new FakeClock(0);
    const { engine, agent } = harness({ clock });
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { retry: { max_attempts: 2, backoff_ms: 10 } }),
      step("g", "NOOP", { depends_on: ["f"] }),
    ]);
    await clock.runAll();
    await engine.onIdle();
    expect(agent.calls.filter((c) => c.action === "FAIL")).toHaveLength(2);
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("failed");
    expect(done.steps.map((s) => s.status)).toEqual(["failed", "skipped"]);
  });

  it("does not retry a NonRetryableError", async () => {
    const clock = new FakeClock(0);
    const { engine, agent } = harness({ clock });
    const wf = await engine.createWorkflow([
      step("f", "FAIL", { args: { fatal: true }, retry: { max_attempts: 5, backoff_ms: 10 } }),
    ]);
    await clock.runAll();
    await engine.onIdle();
    expect(agent.calls).toHaveLength(1);
    expect((await engine.getWorkflow(wf.id)).steps[0].error).toMatchObject({ name: "NonRetryableError" });
  });

  it("times a step out through its AbortSignal, and retries it", async () => {
    const clock = new FakeClock(0);
    const { engine, agent } = harness({ clock, random: () => 0 });
    const wf = await engine.createWorkflow([
      step("h", "HOLD", { timeout_ms: 5000, retry: { max_attempts: 2, backoff_ms: 100 } }),
    ]);
    await agent.whenHeld("h");
    await clock.advance(5000);
    expect(agent.aborted).toEqual(["h"]);
    const failedOnce = (await engine.listEvents(wf.id)).find((e) => e.type === "step.retrying");
    expect(failedOnce?.data.error).toMatchObject({ name: "TimeoutError" });
    await clock.advance(50);
    await agent.whenHeld("h");
    agent.release("h");
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).steps[0]).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("a timed-out agent that ignores its signal cannot write a result afterwards", async () => {
    const clock = new FakeClock(0);
    const { engine, agent } = harness({ clock });
    const wf = await engine.createWorkflow([step("h", "IGNORE_SIGNAL", { timeout_ms: 1000 })]);
    await agent.whenHeld("h");
    await clock.advance(1000);
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).steps[0].status).toBe("failed");
    agent.release("h", { value: "late" });
    await clock.settle();
    await engine.onIdle();
    const s = (await engine.getWorkflow(wf.id)).steps[0];
    expect(s.status).toBe("failed");
    expect(s.result).toBeNull();
  });
});
