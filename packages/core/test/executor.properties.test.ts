/**
 * Property tests of the executor over random DAGs: every step runs once, never before its
 * dependencies are done and committed, the concurrency limit holds, and the event log is gapless.
 */
import {
  type AgentPlugin,
  createEngine,
  type EventRecord,
  MemoryStore,
  type Store,
  type WorkflowCommit,
} from "@tandem/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** How a step's agent spends its time: return at once, or yield microtasks or macrotasks. */
interface Pace {
  mode: "sync" | "micro" | "macro";
  turns: number;
}

interface Shape {
  /** `deps[i]`: indices (all < i) step i depends on; may repeat an index. */
  deps: number[][];
  paces: Pace[];
}

const paceArb: fc.Arbitrary<Pace> = fc.record({
  mode: fc.constantFrom("sync", "micro", "macro"),
  turns: fc.integer({ min: 0, max: 4 }),
});

/** Random DAGs: edges only from earlier to later steps, so the graph is acyclic by construction. */
const shapeArb: fc.Arbitrary<Shape> = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0 ? fc.constant<number[]>([]) : fc.array(fc.nat(i - 1), { maxLength: Math.min(i, 4) }),
      ),
    ),
    paces: fc.array(paceArb, { minLength: n, maxLength: n }),
  }),
);

const yieldTurn = (mode: Pace["mode"]) =>
  mode === "micro" ? Promise.resolve() : new Promise<void>((resolve) => setImmediate(resolve));

/** An agent that checks, as each step starts, that its dependencies finished and were committed. */
function probe(shapes: Map<string, Shape>, committed: Set<string>) {
  const starts = new Map<string, number>();
  const finished = new Set<string>();
  const violations: string[] = [];
  let running = 0;
  let maxRunning = 0;

  const plugin: AgentPlugin = {
    name: "probe",
    actions: {
      RUN: {
        description: "Records start and finish; paced by its args",
        run: (args: Record<string, unknown>, ctx) => {
          const key = `${ctx.workflowId}/${ctx.stepId}`;
          starts.set(key, (starts.get(key) ?? 0) + 1);
          const shape = shapes.get(ctx.workflowId);
          const i = Number(ctx.stepId.slice(1));
          for (const d of shape?.deps[i] ?? []) {
            const dep = `${ctx.workflowId}/s${d}`;
            if (!finished.has(dep)) violations.push(`${key} started before ${dep} finished`);
            if (!committed.has(dep)) violations.push(`${key} started before ${dep} was committed`);
          }
          running++;
          maxRunning = Math.max(maxRunning, running);
          const finish = () => {
            running--;
            finished.add(key);
            return { value: ctx.stepId };
          };
          const pace = args as unknown as Pace;
          if (pace.mode === "sync" || pace.turns === 0) return finish();
          return (async () => {
            for (let t = 0; t < pace.turns; t++) await yieldTurn(pace.mode);
            return finish();
          })();
        },
      },
    },
  };
  return {
    plugin,
    starts,
    violations,
    get maxRunning() {
      return maxRunning;
    },
  };
}

/** A MemoryStore that notes, per workflow, which steps have a committed `succeeded` row. */
function recordingStore(committed: Set<string>): Store {
  const inner = new MemoryStore();
  const commit = async (change: WorkflowCommit) => {
    await inner.commit(change);
    for (const s of change.steps ?? []) if (s.status === "succeeded") committed.add(`${change.workflowId}/${s.id}`);
  };
  // A Proxy rather than Object.create: MemoryStore's private fields need `this` to be the store itself.
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "commit") return commit;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const stepsOf = (shape: Shape) =>
  shape.deps.map((d, i) => ({
    id: `s${i}`,
    agent: "probe",
    action: "RUN",
    args: { ...shape.paces[i] },
    depends_on: d.map((p) => `s${p}`),
  }));

function checkEventLog(events: EventRecord[], shape: Shape): void {
  const stepCount = shape.deps.length;
  expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => k + 1));
  expect(events[0].type).toBe("workflow.created");
  expect(events.at(-1)?.type).toBe("workflow.completed");
  const started = new Map<string, number>();
  const succeeded = new Map<string, number>();
  for (const e of events) {
    if (e.type === "step.started") {
      expect(started.has(e.step_id!)).toBe(false);
      started.set(e.step_id!, e.seq);
    }
    if (e.type === "step.succeeded") {
      expect(succeeded.has(e.step_id!)).toBe(false);
      succeeded.set(e.step_id!, e.seq);
    }
  }
  expect(started.size).toBe(stepCount);
  expect(succeeded.size).toBe(stepCount);
  for (const [id, seq] of succeeded) expect(started.get(id)).toBeLessThan(seq);
  // The log tells the same story as the agent: a step starts after each dependency succeeded.
  for (const [i, deps] of shape.deps.entries()) {
    for (const d of deps) expect(started.get(`s${i}`)).toBeGreaterThan(succeeded.get(`s${d}`)!);
  }
}

describe("executor properties over random DAGs", () => {
  it("runs each step once, after its dependencies, within the concurrency limit, with a gapless event log", async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb, fc.integer({ min: 1, max: 8 }), async (shape, concurrency) => {
        const committed = new Set<string>();
        const shapes = new Map<string, Shape>();
        const agent = probe(shapes, committed);
        const engine = createEngine({ agents: [agent.plugin], concurrency, store: recordingStore(committed) });
        const id = "wf";
        shapes.set(id, shape);
        await engine.createWorkflow(stepsOf(shape), { id });
        await engine.onIdle();

        const n = shape.deps.length;
        expect(agent.violations).toEqual([]);
        expect(agent.maxRunning).toBeLessThanOrEqual(concurrency);
        expect(agent.starts.size).toBe(n);
        for (const count of agent.starts.values()) expect(count).toBe(1);
        const wf = await engine.getWorkflow(id);
        expect(wf.status).toBe("completed");
        expect(wf.steps.every((s) => s.status === "succeeded" && s.attempts === 1)).toBe(true);
        checkEventLog(await engine.listEvents(id), shape);
        await engine.close();
      }),
      { numRuns: 150 },
    );
  });

  it("keeps the limit across several workflows sharing one engine", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(shapeArb, { minLength: 2, maxLength: 3 }),
        fc.integer({ min: 1, max: 8 }),
        async (list, concurrency) => {
          const committed = new Set<string>();
          const shapes = new Map<string, Shape>();
          const agent = probe(shapes, committed);
          const engine = createEngine({ agents: [agent.plugin], concurrency, store: recordingStore(committed) });
          const ids = list.map((shape, k) => {
            shapes.set(`wf${k}`, shape);
            return `wf${k}`;
          });
          await Promise.all(list.map((shape, k) => engine.createWorkflow(stepsOf(shape), { id: ids[k] })));
          await engine.onIdle();

          expect(agent.violations).toEqual([]);
          expect(agent.maxRunning).toBeLessThanOrEqual(concurrency);
          expect(agent.starts.size).toBe(list.reduce((sum, shape) => sum + shape.deps.length, 0));
          for (const count of agent.starts.values()) expect(count).toBe(1);
          for (const [k, id] of ids.entries()) {
            expect((await engine.getWorkflow(id)).status).toBe("completed");
            checkEventLog(await engine.listEvents(id), list[k]);
          }
          await engine.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reaches the concurrency limit on a wide layer (the limit is used, not just respected)", async () => {
    const committed = new Set<string>();
    const shapes = new Map<string, Shape>();
    const agent = probe(shapes, committed);
    const engine = createEngine({ agents: [agent.plugin], concurrency: 5, store: recordingStore(committed) });
    const shape: Shape = {
      deps: Array.from({ length: 21 }, (_, i) => (i === 0 ? [] : [0])),
      paces: Array.from({ length: 21 }, () => ({ mode: "macro" as const, turns: 3 })),
    };
    shapes.set("wide", shape);
    await engine.createWorkflow(stepsOf(shape), { id: "wide" });
    await engine.onIdle();
    expect(agent.maxRunning).toBe(5);
    expect((await engine.getWorkflow("wide")).status).toBe("completed");
  });
});
