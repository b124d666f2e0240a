/**
 * Events are facts emitted after the store commit, in `seq` order, through a safe emitter: a
 * listener that throws is logged and changes nothing, neither for the engine nor for other listeners.
 */
import {
  createEngine,
  type Engine,
  type EventRecord,
  type Logger,
  MemoryStore,
  type StepInput,
  type Store,
  type WorkflowCommit,
} from "@tandem/core";
import { defineTestAgent } from "@tandem/core/testing";
import { describe, expect, it } from "vitest";

interface LogLine {
  level: keyof Logger;
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * A MemoryStore whose writes resolve only after `delay()` macrotask turns, writing to `log` the
 * seqs of each write at the moment its promise resolves. Writes are applied in call order.
 */
function slowStore(log: string[], delay: () => number = () => 0): Store {
  const inner = new MemoryStore();
  const later = async (turns: number) => {
    for (let t = 0; t < turns; t++) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const overrides: Partial<Store> = {
    async createWorkflow(record, events) {
      const applied = inner.createWorkflow(record, events);
      await later(delay());
      await applied;
      for (const e of events) log.push(`committed ${e.workflow_id}#${e.seq}`);
    },
    async commit(change: WorkflowCommit) {
      const applied = inner.commit(change);
      await later(delay());
      await applied;
      for (const e of change.events) log.push(`committed ${e.workflow_id}#${e.seq}`);
    },
  };
  // A Proxy rather than Object.create: MemoryStore's private fields need `this` to be the store itself.
  return new Proxy(inner, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Store];
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** a -> (b, c, d) -> e, plus an independent f: parallel branches interleave their events. */
const diamond: StepInput[] = [
  { id: "a", agent: "test", action: "ECHO", args: { value: 1 }, outputs: ["value"] },
  { id: "b", agent: "test", action: "ECHO", args: { value: "$value" }, depends_on: ["a"] },
  { id: "c", agent: "test", action: "NOOP", depends_on: ["a"] },
  { id: "d", agent: "test", action: "NOOP", depends_on: ["a"] },
  { id: "e", agent: "test", action: "NOOP", depends_on: ["b", "c", "d"] },
  { id: "f", agent: "test", action: "NOOP" },
];

const typesOf = (events: EventRecord[]) => events.map((e) => `${e.type}:${e.step_id ?? ""}`);

async function finish(engine: Engine, id: string) {
  await engine.onIdle();
  return { wf: await engine.getWorkflow(id), events: await engine.listEvents(id) };
}

describe("events", () => {
  it("a listener that throws is logged and changes nothing", async () => {
    // Reference run, nobody listening. Concurrency 1 makes the event order deterministic.
    const quiet = createEngine({ agents: [defineTestAgent().plugin], concurrency: 1 });
    const ref = await finish(quiet, (await quiet.createWorkflow(diamond, { id: "wf" })).id);

    const logger = recordingLogger();
    const engine = createEngine({ agents: [defineTestAgent().plugin], concurrency: 1, logger });
    let calls = 0;
    engine.events.on("event", () => {
      calls++;
      throw new Error("listener boom");
    });
    engine.events.on("step.succeeded", () => {
      throw new Error("typed listener boom");
    });
    const created = await engine.createWorkflow(diamond, { id: "wf" });
    expect(created.status).toBe("running");
    const run = await finish(engine, "wf");

    expect(run.wf.status).toBe("completed");
    expect(run.wf.steps.map((s) => s.status)).toEqual(ref.wf.steps.map((s) => s.status));
    expect(run.wf.steps.map((s) => s.result)).toEqual(ref.wf.steps.map((s) => s.result));
    expect(typesOf(run.events)).toEqual(typesOf(ref.events));
    expect(calls).toBe(run.events.length);

    const errors = logger.lines.filter((l) => l.level === "error");
    // One log line per throw: every event threw once in "event", each step.succeeded once more.
    expect(errors).toHaveLength(run.events.length + diamond.length);
    expect(errors.some((l) => JSON.stringify(l.fields).includes("listener boom"))).toBe(true);
    expect(errors.some((l) => JSON.stringify(l.fields).includes("typed listener boom"))).toBe(true);
  });

  it("a throwing listener does not deafen the listeners registered after it", async () => {
    const logger = recordingLogger();
    const engine = createEngine({ agents: [defineTestAgent().plugin], logger });
    engine.events.on("event", () => {
      throw new Error("first listener boom");
    });
    const seen: number[] = [];
    engine.events.on("event", (e) => seen.push(e.seq));
    const succeeded: string[] = [];
    engine.events.on("step.succeeded", () => {
      throw new Error("first typed listener boom");
    });
    engine.events.on("step.succeeded", (e) => succeeded.push(e.step_id!));
    await engine.createWorkflow(diamond, { id: "wf" });
    const { events } = await finish(engine, "wf");
    expect(seen).toEqual(events.map((e) => e.seq));
    expect(succeeded.sort()).toEqual(diamond.map((s) => s.id).sort());
  });

  it("`event` listeners receive every event, in seq order, identical to the store's log", async () => {
    const engine = createEngine({ agents: [defineTestAgent().plugin], concurrency: 3 });
    const received: EventRecord[] = [];
    const typed: string[] = [];
    engine.events.on("event", (e) => received.push(e));
    engine.events.on("step.started", (e) => typed.push(`started:${e.step_id}`));
    engine.events.on("workflow.completed", (e) => typed.push(`completed:${e.workflow_id}`));
    await engine.createWorkflow(diamond, { id: "wf" });
    const { events } = await finish(engine, "wf");

    expect(received.map((e) => e.seq)).toEqual(events.map((_, k) => k + 1));
    expect(received).toEqual(events);
    expect(received[0].type).toBe("workflow.created");
    expect(received.at(-1)?.type).toBe("workflow.completed");
    expect(typed.filter((t) => t.startsWith("started:"))).toHaveLength(diamond.length);
    expect(typed.at(-1)).toBe("completed:wf");
  });

  it("every event is emitted only after the write holding it has resolved (slow store)", async () => {
    const log: string[] = [];
    let turn = 0;
    // 0-3 macrotask turns per write (deterministic), so writes do not even resolve in call order.
    const store = slowStore(log, () => (turn++ * 7) % 4);
    const engine = createEngine({ agents: [defineTestAgent().plugin], concurrency: 4, store });
    engine.events.on("event", (e) => log.push(`emitted ${e.workflow_id}#${e.seq}`));
    await Promise.all([engine.createWorkflow(diamond, { id: "w1" }), engine.createWorkflow(diamond, { id: "w2" })]);
    await engine.onIdle();

    for (const id of ["w1", "w2"]) {
      const events = await engine.listEvents(id);
      expect((await engine.getWorkflow(id)).status).toBe("completed");
      for (const e of events) {
        const committed = log.indexOf(`committed ${id}#${e.seq}`);
        const emitted = log.indexOf(`emitted ${id}#${e.seq}`);
        expect(committed, `${id}#${e.seq} ${e.type} committed`).toBeGreaterThanOrEqual(0);
        expect(emitted, `${id}#${e.seq} ${e.type} emitted after its commit`).toBeGreaterThan(committed);
      }
    }
  });

  it("each emitted event is already readable from the store inside the listener", async () => {
    const store = new MemoryStore();
    const engine = createEngine({ agents: [defineTestAgent().plugin], concurrency: 2, store });
    const checks: Promise<{ seq: number; found: boolean; status: string | undefined }>[] = [];
    engine.events.on("event", (e) => {
      // Store reads are async: start them here, at emission time, and check after the run.
      // MemoryStore answers from its state at call time, so this observes the state at emission.
      checks.push(
        Promise.all([store.listEvents(e.workflow_id, { afterSeq: e.seq - 1 }), store.getWorkflow(e.workflow_id)]).then(
          ([after, wf]) => ({
            seq: e.seq,
            found: after[0]?.seq === e.seq && after[0]?.type === e.type,
            status: wf?.steps.find((s) => s.id === e.step_id)?.status,
          }),
        ),
      );
    });
    await engine.createWorkflow(diamond, { id: "wf" });
    await engine.onIdle();
    const results = await Promise.all(checks);
    const events = await engine.listEvents("wf");
    expect(results.map((r) => r.seq)).toEqual(events.map((e) => e.seq));
    expect(results.filter((r) => !r.found)).toEqual([]);
    // A step.succeeded event is emitted when the step's row already says so.
    for (const [k, e] of events.entries()) {
      if (e.type === "step.succeeded") expect(results[k].status).toBe("succeeded");
    }
  });

  it("listeners still see seq order when the store resolves concurrent writes out of order", async () => {
    const log: string[] = [];
    let turn = 0;
    // Writes are applied in call order, but the later one may resolve first (a networked store).
    const store = slowStore(log, () => [3, 0, 2, 1, 0, 3][turn++ % 6]);
    const engine = createEngine({ agents: [defineTestAgent().plugin], concurrency: 4, store });
    const seqs: number[] = [];
    engine.events.on("event", (e) => seqs.push(e.seq));
    await engine.createWorkflow(diamond, { id: "wf" });
    const { wf, events } = await finish(engine, "wf");
    expect(wf.status).toBe("completed");
    expect(seqs).toEqual(events.map((e) => e.seq));
  });
});
