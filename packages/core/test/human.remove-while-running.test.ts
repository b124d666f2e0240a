import { describe, expect, it } from "vitest";
import { harness, statuses, step } from "./helpers.js";

describe("removing steps while others run", () => {
  it("keeps running, queued and later steps on the right records when indices shift", async () => {
    const { engine, agent } = harness({ concurrency: 2 });
    const wf = await engine.createWorkflow([
      step("h0", "HOLD"),
      step("gone", "NOOP", { depends_on: ["h0"] }),
      step("h1", "HOLD", { outputs: ["value"] }),
      step("after", "ECHO", { args: { value: "$h1.value" }, depends_on: ["h1"] }),
      step("queued", "ECHO", { args: { value: "q" } }),
    ]);
    await agent.whenHeld("h0");
    await agent.whenHeld("h1");
    // `queued` waits for a free slot; `gone` waits for h0. Removing `gone` shifts h1, after and queued.
    await engine.intervene(wf.id, { remove_steps: ["gone"] });
    agent.release("h1", { value: "from h1" });
    await agent.whenHeld("h0");
    agent.release("h0", { value: "from h0" });
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(await statuses(engine, wf.id)).toEqual({
      h0: "succeeded",
      h1: "succeeded",
      after: "succeeded",
      queued: "succeeded",
    });
    expect(done.steps.find((s) => s.id === "h1")?.result).toEqual({ value: "from h1" });
    expect(done.steps.find((s) => s.id === "after")?.result).toEqual({ value: "from h1" });
    expect(done.steps.find((s) => s.id === "queued")?.result).toEqual({ value: "q" });
    expect(agent.calls.map((c) => c.stepId).sort()).toEqual(["after", "h0", "h1", "queued"]);
  });
});
