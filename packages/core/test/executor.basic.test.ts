import { createEngine, MemoryStore, type Store, type WorkflowCommit } from "@tandem/core";
import { describe, expect, it } from "vitest";
import { harness, statuses, step } from "./helpers.js";

describe("executor", () => {
  it("runs the documented shape: outputs flow through $ references and keep their JSON type", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow({
      steps: [
        step("s1", "ECHO", { args: { value: { items: [{ title: "A" }, { title: "B" }] } }, outputs: ["value"] }),
        step("s2", "ECHO", { args: { value: "$s1.value.items.1.title" }, depends_on: ["s1"], outputs: ["value"] }),
        step("s3", "ECHO", { args: { value: "to $who: $s2.value" }, depends_on: ["s2"] }),
      ],
      variables: { who: "ann" },
    });
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("completed");
    expect(done.steps[1].resolved_args).toEqual({ value: "B" });
    expect(done.steps[2].resolved_args).toEqual({ value: "to ann: B" });
    expect(done.steps.every((s) => s.attempts === 1 && s.started_at && s.finished_at)).toBe(true);
  });

  it("turns $$ into a literal $ in every step, with or without references beside it", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow({
      steps: [
        step("plain", "ECHO", { args: { value: "$$5", nested: ["cost: $$5", { deep: "$$" }], untouched: "a $ b" } }),
        step("mixed", "ECHO", { args: { value: "$$5 and $n" } }),
      ],
      variables: { n: 5 },
    });
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.steps[0].resolved_args).toEqual({
      value: "$5",
      nested: ["cost: $5", { deep: "$" }],
      untouched: "a $ b",
    });
    expect(done.steps[0].result).toEqual({ value: "$5" });
    expect(done.steps[1].resolved_args).toEqual({ value: "$5 and 5" });
  });

  it("refuses bad engine options with a TypeError naming them, misspelt names included", () => {
    expect(() => createEngine({ concurency: 4 } as never)).toThrow(/Unknown engine option `concurency`/);
    expect(() => createEngine({ agents: { name: "x", actions: {} } } as never)).toThrow(/`agents` to be an array/);
    expect(() => createEngine({ concurrency: 0 })).toThrow(/`concurrency`/);
    expect(() => createEngine({ startedFlushMs: -1 })).toThrow(/`startedFlushMs`/);
    expect(() => createEngine({ concurrency: 2, startedFlushMs: 0 })).not.toThrow();
  });

  it("binds a non-object result to the single declared output", async () => {
    const { engine } = harness({
      agents: [{ name: "num", actions: { SEVEN: { description: "7", run: () => 7 } } }],
    });
    const wf = await engine.createWorkflow([
      { id: "a", agent: "num", action: "SEVEN", outputs: ["n"] },
      step("b", "ECHO", { args: { value: "$n" }, depends_on: ["a"] }),
    ]);
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).steps[1].result).toEqual({ value: 7 });
  });

  it("runs independent steps in parallel up to the concurrency limit", async () => {
    const { engine, agent } = harness({ concurrency: 3 });
    const wf = await engine.createWorkflow(Array.from({ length: 6 }, (_, i) => step(`h${i}`, "HOLD")));
    await agent.whenHeld("h0");
    await agent.whenHeld("h2");
    await new Promise((r) => setImmediate(r));
    expect(agent.held).toHaveLength(3);
    for (let i = 0; i < 6; i++) {
      await agent.whenHeld(`h${i}`);
      agent.release(`h${i}`);
    }
    await engine.onIdle();
    expect(agent.maxConcurrent).toBe(3);
    expect((await engine.getWorkflow(wf.id)).status).toBe("completed");
  });

  it("commits a step's result before any dependent starts", async () => {
    const committed = new Set<string>();
    class RecordingStore extends MemoryStore {
      override async commit(change: WorkflowCommit) {
        await super.commit(change);
        for (const s of change.steps ?? []) if (s.status === "succeeded") committed.add(s.id);
      }
    }
    const store: Store = new RecordingStore();
    const seenAtStart: Record<string, boolean> = {};
    const engine = createEngine({
      store,
      agents: [
        {
          name: "probe",
          actions: {
            RUN: {
              description: "records whether its parent was durable when it started",
              run: (args) => {
                seenAtStart[String(args.me)] = args.parent === null || committed.has(String(args.parent));
                return null;
              },
            },
          },
        },
      ],
    });
    const wf = await engine.createWorkflow([
      { id: "a", agent: "probe", action: "RUN", args: { me: "a", parent: null } },
      { id: "b", agent: "probe", action: "RUN", args: { me: "b", parent: "a" }, depends_on: ["a"] },
      { id: "c", agent: "probe", action: "RUN", args: { me: "c", parent: "b" }, depends_on: ["b"] },
    ]);
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("completed");
    expect(seenAtStart).toEqual({ a: true, b: true, c: true });
  });

  it("fails a step, skips its dependents, runs independent branches on, and ends failed", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow([
      step("bad", "FAIL"),
      step("after", "NOOP", { depends_on: ["bad"] }),
      step("later", "NOOP", { depends_on: ["after"] }),
      step("other", "NOOP"),
    ]);
    await engine.onIdle();
    expect(await statuses(engine, wf.id)).toEqual({
      bad: "failed",
      after: "skipped",
      later: "skipped",
      other: "succeeded",
    });
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("failed");
    expect(done.steps[0].error).toMatchObject({ name: "Error", message: "boom" });
    expect(done.steps[1].error?.code).toBe("dependency_failed");
  });

  it("fails a step whose result lacks a declared output", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow([step("a", "ECHO", { args: { value: 1 }, outputs: ["value", "x"] })]);
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.steps[0].status).toBe("failed");
    expect(done.steps[0].error?.message).toMatch(/declared output\(s\): x/);
  });

  it("fails a step whose result exceeds maxResultBytes, with a clear error", async () => {
    const { engine } = harness({ maxResultBytes: 100 });
    const wf = await engine.createWorkflow([step("a", "ECHO", { args: { value: "x".repeat(500) } })]);
    await engine.onIdle();
    const s = (await engine.getWorkflow(wf.id)).steps[0];
    expect(s.status).toBe("failed");
    expect(s.error).toMatchObject({ code: "output_too_large" });
  });

  it("fails a step whose result cannot be stored as JSON (circular, BigInt, too deep), and the workflow ends", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const results: Record<string, unknown> = { CIRCULAR: circular, BIG: { n: 10n }, DEEP: { deep } };
    const { engine } = harness({
      agents: [
        {
          name: "odd",
          actions: Object.fromEntries(
            Object.entries(results).map(([name, value]) => [name, { description: name, run: () => value }]),
          ),
        },
      ],
    });
    const wf = await engine.createWorkflow([
      ...Object.keys(results).map((name) => ({ id: name.toLowerCase(), agent: "odd", action: name })),
      step("after", "NOOP", { depends_on: ["deep"] }),
    ]);
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.status).toBe("failed");
    expect(done.steps.slice(0, 3).map((s) => [s.status, s.error?.code])).toEqual([
      ["failed", "invalid_result"],
      ["failed", "invalid_result"],
      ["failed", "invalid_result"],
    ]);
    expect(done.steps[3].status).toBe("skipped");
  });

  it("checks typed args again at run time, after references resolve", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow({
      steps: [
        step("a", "ECHO", { args: { value: "not a number" }, outputs: ["value"] }),
        step("b", "TYPED", { args: { count: "$value" }, depends_on: ["a"] }),
      ],
    });
    await engine.onIdle();
    const b = (await engine.getWorkflow(wf.id)).steps[1];
    expect(b.status).toBe("failed");
    expect(b.error?.code).toBe("invalid_args");
  });

  it("refuses an invalid workflow with every issue, and stores nothing", async () => {
    const { engine } = harness();
    await expect(
      engine.createWorkflow([step("a", "NOPE"), step("a", "ECHO", { depends_on: ["zz"] })]),
    ).rejects.toMatchObject({
      code: "invalid_workflow",
      issues: expect.arrayContaining([expect.objectContaining({ code: "unknown_action" })]),
    });
    expect((await engine.listWorkflows()).items).toHaveLength(0);
  });

  it("forces needs_human on actions that always need a person, whatever the document says", async () => {
    const { engine } = harness();
    const wf = await engine.createWorkflow([step("g", "GATED", { needs_human: false })]);
    await engine.onIdle();
    const done = await engine.getWorkflow(wf.id);
    expect(done.steps[0]).toMatchObject({ needs_human: true, status: "awaiting_human" });
    expect(done.status).toBe("paused");
  });

  it("rejects bad options at construction", () => {
    expect(() => createEngine({ concurrency: 0 })).toThrow(/Expected `concurrency`/);
  });

  it("keeps two engines in one process apart", async () => {
    const a = harness();
    const b = createEngine();
    expect(b.catalog()).toEqual([]);
    await expect(b.createWorkflow([step("x", "NOOP")])).rejects.toMatchObject({ code: "invalid_workflow" });
    expect(a.engine.catalog().map((c) => c.name)).toEqual(["test"]);
  });
});
