import { describe, expect, it } from "vitest";
import { harness, statuses, step } from "./helpers.js";

const gatedFlow = () => ({
  steps: [
    step("s1", "ECHO", { args: { value: "news" }, outputs: ["value"] }),
    step("s2", "ECHO", { args: { value: "to $user_email: $s1.value" }, depends_on: ["s1"], needs_human: true }),
    step("s3", "NOOP", { depends_on: ["s2"] }),
  ],
  variables: { user_email: "a@example.com" },
});

describe("human in the loop", () => {
  it("gates a step with its args already resolved, and pauses when nothing else can move", async () => {
    const { engine, agent } = harness({
      agents: [{ name: "x", actions: { R: { description: "", run: () => ({ results: "news" }) } } }],
    });
    const wf = await engine.createWorkflow({
      steps: [
        { id: "s1", agent: "x", action: "R", outputs: ["results"] },
        step("s2", "ECHO", { args: { value: "to $user_email: $results" }, depends_on: ["s1"], needs_human: true }),
      ],
      variables: { user_email: "a@example.com" },
    });
    await engine.onIdle();
    const paused = await engine.getWorkflow(wf.id);
    expect(paused.status).toBe("paused");
    expect(paused.steps[1]).toMatchObject({
      status: "awaiting_human",
      resolved_args: { value: "to a@example.com: news" },
    });
    expect(agent.calls).toHaveLength(0);
  });

  it("approve runs the gate and the rest; the decision is kept with time and comment", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    await engine.intervene(wf.id, { step_id: "s2", approve: true, comment: "looks right" });
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(done.interventions).toHaveLength(1);
    expect(done.interventions[0].intervention).toMatchObject({ step_id: "s2", approve: true, comment: "looks right" });
    expect(Date.parse(done.interventions[0].at)).not.toBeNaN();
  });

  it("reject skips the gate and its dependents; the workflow completes", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    await engine.intervene(wf.id, { step_id: "s2", approve: false });
    await engine.onIdle();
    expect(await statuses(engine, wf.id)).toEqual({ s1: "succeeded", s2: "skipped", s3: "skipped" });
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(done.steps[1].error?.code).toBe("rejected");
    expect(done.steps[2].error?.code).toBe("dependency_rejected");
  });

  it("an args edit on a gate is merged, re-resolved and shown before approval", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    const edited = await engine.intervene(wf.id, { step_id: "s2", args: { value: "to b@example.com" } });
    expect(edited.steps[1]).toMatchObject({ status: "awaiting_human", resolved_args: { value: "to b@example.com" } });
    await engine.intervene(wf.id, { step_id: "s2", approve: true });
    await engine.onIdle();
    expect(agent.calls.find((c) => c.stepId === "s2")?.args).toEqual({ value: "to b@example.com" });
  });

  it("output supplies a step's result without running it", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    await engine.intervene(wf.id, { step_id: "s2", output: { sent: "by hand" } });
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(done.steps[1]).toMatchObject({ status: "succeeded", result: { sent: "by hand" } });
    expect(agent.calls.map((c) => c.stepId)).toEqual(["s1", "s3"]);
  });

  it("sibling gates are independent: deciding one never disturbs another, other branches run on", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow([
      step("g1", "ECHO", { args: { value: 1 }, needs_human: true }),
      step("g2", "ECHO", { args: { value: 2 }, needs_human: true }),
      step("free", "HOLD"),
    ]);
    await agent.whenHeld("free");
    await new Promise((r) => setTimeout(r, 60)); // a running step's row is written after startedFlushMs
    expect(await statuses(engine, wf.id)).toMatchObject({
      g1: "awaiting_human",
      g2: "awaiting_human",
      free: "running",
    });
    await engine.intervene(wf.id, { step_id: "g1", approve: true });
    await new Promise((r) => setImmediate(r));
    expect(await statuses(engine, wf.id)).toMatchObject({ g1: "succeeded", g2: "awaiting_human", free: "running" });
    agent.release("free");
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("paused");
    await engine.intervene(wf.id, { step_id: "g2", approve: true });
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("completed");
  });

  it("variables, add_steps and remove_steps change the part not yet started", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow({
      steps: [
        step("s1", "ECHO", { args: { value: 1 } }),
        step("gate", "ECHO", { args: { value: "$greeting" }, depends_on: ["s1"], needs_human: true }),
        step("old", "NOOP", { depends_on: ["gate"] }),
      ],
      variables: { greeting: "hi" },
    });
    await engine.onIdle();
    await engine.intervene(wf.id, {
      variables: { greeting: "hello" },
      remove_steps: ["old"],
      add_steps: [step("new", "ECHO", { args: { value: "$greeting again" }, depends_on: ["gate"] })],
      comment: "restructure",
    });
    await engine.intervene(wf.id, { step_id: "gate", approve: true });
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(done.steps.map((s) => s.id)).toEqual(["s1", "gate", "new"]);
    expect(agent.calls.find((c) => c.stepId === "new")?.args).toEqual({ value: "hello again" });
    expect(done.variables).toEqual({ greeting: "hello" });
  });

  it("new variable values refresh a waiting gate, and approval runs exactly the args shown", async () => {
    const { engine, agent } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    const shown = await engine.intervene(wf.id, { variables: { user_email: "b@example.com" } });
    expect(shown.steps[1]).toMatchObject({
      status: "awaiting_human",
      resolved_args: { value: "to b@example.com: news" },
    });
    const refreshed = (await engine.listEvents(wf.id)).filter((e) => e.type === "step.awaiting_human");
    expect(refreshed.map((e) => e.data.resolved_args)).toEqual([
      { value: "to a@example.com: news" },
      { value: "to b@example.com: news" },
    ]);
    // The stored record agrees with what the call returned (the refresh was committed).
    expect((await engine.getWorkflow(wf.id)).steps[1].resolved_args).toEqual({ value: "to b@example.com: news" });
    await engine.intervene(wf.id, { step_id: "s2", approve: true });
    await engine.onIdle();
    expect(agent.calls.find((c) => c.stepId === "s2")?.args).toEqual({ value: "to b@example.com: news" });
  });

  it("reports a malformed added step together with every other problem of the would-be workflow", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    const refused = engine.intervene(wf.id, {
      add_steps: [
        { ...step("x", "NOOP", { depends_on: ["y"] }), zzz: 1 } as never,
        step("y", "NOOP", { depends_on: ["x"] }),
        step("z", "ECHO", { args: { value: "$nowhere" } }),
      ],
    });
    await expect(refused).rejects.toMatchObject({ code: "invalid_workflow" });
    const issues = (await refused.catch((e) => e.issues)) as { path: unknown[]; code: string }[];
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ["add_steps", 0, "zzz"], code: "unknown_field" }),
        expect.objectContaining({ code: "cycle" }),
        expect.objectContaining({ path: ["add_steps", 2, "args", "value"], code: "unknown_reference" }),
      ]),
    );
    expect((await engine.getWorkflow(wf.id)).steps).toHaveLength(3);
  });

  it("refuses to remove every step: a workflow keeps at least one", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow([step("a", "NOOP"), step("b", "NOOP", { depends_on: ["a"] })], {
      start: false,
    });
    await expect(engine.intervene(wf.id, { remove_steps: ["a", "b"] })).rejects.toMatchObject({
      code: "invalid_workflow",
      issues: [expect.objectContaining({ code: "empty_workflow" })],
    });
    expect((await engine.getWorkflow(wf.id)).steps.map((s) => s.id)).toEqual(["a", "b"]);
  });

  it("a refused intervention leaves no trace (atomic, re-validated as a whole)", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    const before = await engine.getWorkflow(wf.id);
    const eventsBefore = await engine.listEvents(wf.id);
    // A valid variable change combined with a step that creates a cycle: all refused.
    await expect(
      engine.intervene(wf.id, {
        variables: { user_email: "evil@example.com" },
        add_steps: [step("x", "NOOP", { depends_on: ["y"] }), step("y", "NOOP", { depends_on: ["x"] })],
      }),
    ).rejects.toMatchObject({ code: "invalid_workflow", issues: [expect.objectContaining({ code: "cycle" })] });
    // Removing a step another step still depends on: the issue names s3 where it stands (index 2).
    await expect(engine.intervene(wf.id, { remove_steps: ["s2"] })).rejects.toMatchObject({
      code: "invalid_workflow",
      issues: [expect.objectContaining({ path: ["steps", 2, "depends_on", 0], code: "unknown_dependency" })],
    });
    expect(await engine.getWorkflow(wf.id)).toEqual(before);
    expect(await engine.listEvents(wf.id)).toEqual(eventsBefore);
  });

  it("refuses edits to what already ran (invalid_state) and malformed input (invalid_request)", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    await expect(engine.intervene(wf.id, { step_id: "s1", args: { value: 2 } })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(engine.intervene(wf.id, { step_id: "s1", approve: true })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(engine.intervene(wf.id, { step_id: "s1", output: {} })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(engine.intervene(wf.id, { remove_steps: ["s1"] })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(engine.intervene(wf.id, { step_id: "nope", approve: true })).rejects.toMatchObject({
      code: "invalid_request",
    });
    await expect(engine.intervene(wf.id, {})).rejects.toMatchObject({ code: "invalid_request" });
    await expect(engine.intervene(wf.id, { bogus: 1 } as never)).rejects.toMatchObject({ code: "invalid_request" });
    await expect(engine.intervene("missing", { variables: {} })).rejects.toMatchObject({ code: "not_found" });
  });

  it("resume approves gates as they stand", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow(gatedFlow());
    await engine.onIdle();
    await engine.resume(wf.id);
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("completed");
  });
});
