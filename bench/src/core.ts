/**
 * Issue 2's benchmark: per-step orchestration overhead of the in-memory engine on no-op steps,
 * next to baselines measured in the same run (a plain await loop, a minimal level-by-level DAG
 * runner on raw p-queue) and LangGraph.js StateGraphs of the same shapes.
 */
import { createEngine, type Engine } from "@tandem/core";
import PQueue from "p-queue";
import { compileLangGraph, runLangGraph } from "./langgraph.js";
import { type Row, sample, timeIt } from "./row.js";
import { chain, fanOut, lattice, type Shape, tiny } from "./shapes.js";

const CONCURRENCY = 16;
const noop = async () => null;

export function noopEngine(options: Parameters<typeof createEngine>[0] = {}): Engine {
  return createEngine({
    concurrency: CONCURRENCY,
    ...options,
    agents: [{ name: "bench", actions: { NOOP: { description: "no-op", run: noop } } }],
  });
}

const completed = new WeakMap<Engine, Set<string>>();

/** Creates, runs and awaits one workflow of the shape: what a user pays end to end. */
export async function runTandem(engine: Engine, shape: Shape): Promise<void> {
  let done = completed.get(engine);
  if (!done) {
    const ids = new Set<string>();
    engine.events.on("workflow.completed", (e) => ids.add(e.workflow_id));
    completed.set(engine, ids);
    done = ids;
  }
  const wf = await engine.createWorkflow(shape.steps);
  await engine.onIdle();
  if (!done.delete(wf.id)) throw new Error(`${shape.name} did not complete`);
}

/** Topological levels of the shape (steps whose dependencies are all in earlier levels). */
function levels(shape: Shape): string[][] {
  const level = new Map<string, number>();
  const out: string[][] = [];
  for (const s of shape.steps) {
    const l = Math.max(-1, ...(s.depends_on ?? []).map((d) => level.get(d) ?? 0)) + 1;
    level.set(s.id, l);
    if (!out[l]) out[l] = [];
    out[l].push(s.id);
  }
  return out;
}

async function rawPQueue(shape: Shape): Promise<void> {
  const queue = new PQueue({ concurrency: CONCURRENCY });
  for (const level of levels(shape)) await Promise.all(level.map(() => queue.add(noop)));
}

async function awaitLoop(shape: Shape): Promise<void> {
  for (let i = 0; i < shape.steps.length; i++) await noop();
}

export async function benchCore(options: { quick?: boolean } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const shapes = options.quick
    ? [chain(200), fanOut(200), lattice(4, 50), tiny()]
    : [chain(1000), fanOut(1000), lattice(10, 100), tiny()];
  const suite = "core in memory (µs per step)";
  const tandemByShape = new Map<Shape, number>();
  for (const shape of shapes) {
    const n = shape.steps.length;
    // Several workflows per sample (1,000 of the tiny one), so timer resolution does not dominate.
    const batch = n < 10 ? 1000 : 3;
    const perStep = (ms: number) => (ms * 1000) / (n * batch);
    const repeat =
      <T>(fn: (state: T) => Promise<void>) =>
      async (state: T) => {
        for (let i = 0; i < batch; i++) await fn(state);
      };
    const loop = perStep(await timeIt(repeat(awaitLoop.bind(null, shape)), 11, 3));
    const pq = perStep(await timeIt(repeat(rawPQueue.bind(null, shape)), 11, 3));
    // Each sample on a fresh engine: the in-memory store's growth is not what is measured here.
    const run = repeat((engine: Engine) => runTandem(engine, shape));
    const tandem = await sample(run, 11, 5, () => noopEngine());
    const median = perStep(tandem.median);
    tandemByShape.set(shape, median);
    rows.push(
      { suite, case: `${shape.name}: await loop`, value: loop, unit: "µs/step", note: "baseline" },
      { suite, case: `${shape.name}: raw p-queue`, value: pq, unit: "µs/step", note: "baseline" },
      {
        suite,
        case: `${shape.name}: Tandem`,
        value: median,
        unit: "µs/step",
        note: `${(median / pq).toFixed(1)}× raw p-queue; fastest sample ${perStep(tandem.min).toFixed(1)}; target ≤ 10`,
      },
    );
  }
  // LangGraph last: its garbage would otherwise be collected on Tandem's clock.
  for (const shape of shapes) {
    const n = shape.steps.length;
    const app = compileLangGraph(shape);
    const lgBatch = n < 10 ? 20 : 1;
    const lgRun = async () => {
      for (let i = 0; i < lgBatch; i++) await runLangGraph(app, n);
    };
    const lg = ((await timeIt(lgRun, 3, 1)) * 1000) / (n * lgBatch);
    const ratio = lg / tandemByShape.get(shape)!;
    rows.push({
      suite,
      case: `${shape.name}: LangGraph`,
      value: lg,
      unit: "µs/step",
      note: `${ratio.toFixed(0)}× Tandem`,
    });
  }
  return rows;
}
