/**
 * Issue 3's benchmark: the engine on `SqliteStore` (WAL, synchronous FULL) on the core shapes,
 * with commits per step and µs per step, next to raw better-sqlite3 commits (FULL and NORMAL)
 * and LangGraph's SqliteSaver measured in the same run; then listing over 100,000 workflows.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { createEngine, type WorkflowRecord } from "@tandem/core";
import { SqliteStore } from "@tandem/sqlite-store";
import Database from "better-sqlite3";
import { noopEngine, runTandem } from "./core.js";
import { compileLangGraph, runLangGraph } from "./langgraph.js";
import { median, type Row } from "./row.js";
import { chain, fanOut, lattice, type Shape, tiny } from "./shapes.js";

const SUITE = "sqlite-store, synchronous=FULL";

/**
 * µs per commit of one small row in its own transaction, the floor any durable store pays per
 * commit: in steady state, after as many commits again have grown the WAL to its working size
 * (appending to a fresh WAL costs more per fsync than reusing one, and the engine runs reuse it).
 */
function rawCommit(dir: string, synchronous: "FULL" | "NORMAL", commits: number): number {
  const db = new Database(join(dir, `raw-${synchronous}.db`));
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
  const body = JSON.stringify({ status: "succeeded", result: { ok: true }, padding: "x".repeat(200) });
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const commitOne = () => {
    begin.run();
    insert.run(body);
    commit.run();
  };
  for (let i = 0; i < commits; i++) commitOne();
  const t = performance.now();
  for (let i = 0; i < commits; i++) commitOne();
  const us = ((performance.now() - t) * 1000) / commits;
  db.close();
  return us;
}

/**
 * The engine on a store file in steady state, with the store's own WAL auto-checkpoints (so their
 * cost is in it), after warm-up. µs per step: the median of `rounds` rounds, each the mean over
 * `runs` consecutive workflows; the spread of the rounds shows how much the machine moved.
 * WAL bytes per step come from one more run with checkpoints held off.
 */
async function engineOnSqlite(dir: string, shape: Shape, runs: number, synchronous: "FULL" | "NORMAL", rounds = 1) {
  const path = join(dir, `engine-${synchronous}-${shape.name.replace(/\W+/g, "_")}.db`);
  const store = new SqliteStore({ path, synchronous, checkpointIntervalMs: 0 });
  const engine = noopEngine({ store });
  await engine.ready();
  const n = shape.steps.length;
  const batch = n < 10 ? 200 : 1;
  // Warm-up: the JIT must have compiled the store's write path before anything is timed.
  for (let i = 0; i < 3; i++) await runTandem(engine, shape);
  const commitsBefore = store.transactionCount;
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t = performance.now();
    for (let r = 0; r < runs * batch; r++) await runTandem(engine, shape);
    perRound.push(((performance.now() - t) * 1000) / (n * batch * runs));
  }
  const usPerStep = median(perRound);
  const spread = `rounds ${Math.min(...perRound).toFixed(1)}–${Math.max(...perRound).toFixed(1)}`;
  const commitsPerStep = (store.transactionCount - commitsBefore) / (n * batch * runs * rounds);
  store.checkpoint("TRUNCATE");
  store.connection.pragma("wal_autocheckpoint = 0");
  const walBefore = statSync(`${path}-wal`).size;
  for (let i = 0; i < batch; i++) await runTandem(engine, shape);
  const walBytesPerStep = (statSync(`${path}-wal`).size - walBefore) / (n * batch);
  await engine.close();
  return { usPerStep, spread, commitsPerStep, walBytesPerStep };
}

/**
 * Many small workflows at once, as a server sees them: group commit then shares each fsync among
 * the workflows whose commits are queued in the same turn.
 */
async function concurrentTiny(dir: string, count: number): Promise<Row[]> {
  const store = new SqliteStore({ path: join(dir, "concurrent-tiny.db"), checkpointIntervalMs: 0 });
  const engine = noopEngine({ store });
  await engine.ready();
  const shape = tiny();
  const round = async () => {
    await Promise.all(Array.from({ length: count }, () => engine.createWorkflow(shape.steps)));
    await engine.onIdle();
  };
  await round(); // warm-up
  const before = store.transactionCount;
  const t = performance.now();
  await round();
  const steps = count * shape.steps.length;
  const us = ((performance.now() - t) * 1000) / steps;
  const commits = (store.transactionCount - before) / steps;
  await engine.close();
  const suite = SUITE;
  return [
    { suite, case: `${count} tiny 2-step workflows at once: Tandem`, value: us, unit: "µs/step", note: "end to end" },
    { suite, case: `${count} tiny 2-step workflows at once: commits per step`, value: commits, unit: "commits" },
  ];
}

/** A chain whose agents take 2 ms: the `started` and `succeeded` commits of a step can no longer share a batch. */
async function slowAgentsChain(dir: string, n: number): Promise<Row> {
  const store = new SqliteStore({ path: join(dir, "slow-agents.db"), checkpointIntervalMs: 0 });
  const wait = () => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 2));
  const engine = createEngine({
    store,
    agents: [{ name: "bench", actions: { NOOP: { description: "2 ms", run: wait } } }],
  });
  await engine.ready();
  const before = store.transactionCount;
  await engine.createWorkflow(chain(n).steps);
  await engine.onIdle();
  const commits = (store.transactionCount - before) / n;
  await engine.close();
  return {
    suite: SUITE,
    case: `chain ${n}, agents taking 2 ms: commits per step`,
    value: commits,
    unit: "commits",
    note: "a step shorter than startedFlushMs commits start and end together",
  };
}

async function langGraphSqlite(dir: string, shape: Shape): Promise<number> {
  const saver = SqliteSaver.fromConnString(join(dir, `langgraph-${shape.name.replace(/\W+/g, "_")}.db`));
  const app = compileLangGraph(shape, saver);
  const n = shape.steps.length;
  const batch = n < 10 ? 20 : 1;
  await runLangGraph(app, n);
  const t = performance.now();
  for (let i = 0; i < batch; i++) await runLangGraph(app, n);
  return ((performance.now() - t) * 1000) / (n * batch);
}

function summaryRecord(i: number, status: WorkflowRecord["status"]): WorkflowRecord {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const step = {
    id: "s1",
    agent: "bench",
    action: "NOOP",
    args: {},
    depends_on: [],
    outputs: [],
    needs_human: false,
    status: status === "completed" ? ("succeeded" as const) : ("pending" as const),
    resolved_args: null,
    result: null,
    error: null,
    attempts: 0,
    started_at: null,
    finished_at: null,
    in_doubt: false,
  };
  return {
    id: `wf-${i}`,
    name: null,
    status,
    variables: {},
    created_at: at,
    updated_at: at,
    schedule_id: i % 10 === 0 ? "daily" : null,
    scheduled_for: i % 10 === 0 ? at : null,
    interventions: [],
    steps: [step, { ...step, id: "s2", depends_on: ["s1"] }],
    generation: null,
  };
}

/** p95 of listing pages over `total` stored workflows: first pages, deep cursors, filters. */
async function listing(dir: string, total: number): Promise<Row[]> {
  const store = new SqliteStore({ path: join(dir, "listing.db"), checkpointIntervalMs: 0 });
  const statuses = ["completed", "completed", "completed", "failed", "running"] as const;
  for (let start = 0; start < total; start += 2000) {
    const creates: Promise<void>[] = [];
    for (let i = start; i < Math.min(total, start + 2000); i++) {
      creates.push(store.createWorkflow(summaryRecord(i, statuses[i % statuses.length]!), []));
    }
    await Promise.all(creates);
  }
  const rows: Row[] = [];
  const cases: [string, Parameters<SqliteStore["listWorkflows"]>[0]][] = [
    ["newest 50", {}],
    ["status=failed, 50", { status: "failed" }],
    ["schedule_id, 50", { scheduleId: "daily" }],
    ["500 per page", { limit: 500 }],
  ];
  for (const [name, query] of cases) {
    const times: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      const page = await store.listWorkflows({ ...query, cursor });
      times.push(performance.now() - t);
      // Walk deeper and deeper, restarting at the top when the end is reached.
      cursor = page.nextCursor ?? undefined;
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)]!;
    rows.push({
      suite: `listing over ${total.toLocaleString("en")} workflows`,
      case: `${name}: p95`,
      value: p95,
      unit: "ms",
      note: "target < 20 ms; keyset cursor, 200 consecutive pages",
    });
  }
  await store.close();
  return rows;
}

export async function benchSqliteStore(options: { quick?: boolean } = {}): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "tandem-bench-sqlite-"));
  try {
    const rows: Row[] = [];
    const full = rawCommit(dir, "FULL", options.quick ? 300 : 1000);
    const normal = rawCommit(dir, "NORMAL", options.quick ? 300 : 1000);
    rows.push(
      {
        suite: SUITE,
        case: "raw better-sqlite3 commit, FULL",
        value: full,
        unit: "µs/commit",
        note: "baseline: one fsync per commit",
      },
      { suite: SUITE, case: "raw better-sqlite3 commit, NORMAL", value: normal, unit: "µs/commit", note: "baseline" },
    );
    const shapes = options.quick
      ? [chain(200), fanOut(200), lattice(4, 50), tiny()]
      : [chain(1000), fanOut(1000), lattice(10, 100), tiny()];
    for (const shape of shapes) {
      const wide = !shape.name.startsWith("chain");
      const r = await engineOnSqlite(dir, shape, wide ? 6 : 2, "FULL", wide ? 5 : 3);
      const target = shape.name.startsWith("chain") ? "target ≤ 1.2 commits/step" : "group commit";
      rows.push(
        {
          suite: SUITE,
          case: `${shape.name}: Tandem`,
          value: r.usPerStep,
          unit: "µs/step",
          note: `${(r.usPerStep / full).toFixed(2)}× a raw FULL commit; median of ${r.spread}${wide && shape.steps.length > 2 ? "; target ≤ 30" : ""}`,
        },
        {
          suite: SUITE,
          case: `${shape.name}: commits per step`,
          value: r.commitsPerStep,
          unit: "commits",
          note: target,
        },
        {
          suite: SUITE,
          case: `${shape.name}: WAL written per step`,
          value: r.walBytesPerStep,
          unit: "bytes",
          note: "flat in the step count",
        },
      );
    }
    if (existsSync("/dev/shm")) {
      // The same runs on tmpfs, where fsync is free: what the store costs in CPU alone.
      const shm = mkdtempSync("/dev/shm/tandem-bench-");
      try {
        for (const shape of options.quick ? [chain(200), fanOut(200)] : [chain(1000), fanOut(1000)]) {
          const r = await engineOnSqlite(shm, shape, 5, "FULL");
          rows.push({
            suite: SUITE,
            case: `${shape.name}: Tandem on tmpfs`,
            value: r.usPerStep,
            unit: "µs/step",
            note: "CPU cost only (fsync is free on tmpfs)",
          });
        }
      } finally {
        rmSync(shm, { recursive: true, force: true });
      }
    }
    rows.push(...(await concurrentTiny(dir, options.quick ? 200 : 1000)));
    rows.push(await slowAgentsChain(dir, options.quick ? 50 : 200));
    const longer = await engineOnSqlite(dir, chain(options.quick ? 50 : 200), 1, "FULL");
    rows.push({
      suite: SUITE,
      case: `chain ${options.quick ? 50 : 200}: WAL written per step`,
      value: longer.walBytesPerStep,
      unit: "bytes",
      note: "compare with the longer chain: no growth with length",
    });
    const normalChain = await engineOnSqlite(dir, chain(options.quick ? 200 : 1000), 1, "NORMAL");
    rows.push({
      suite: SUITE,
      case: `chain ${options.quick ? 200 : 1000}: Tandem, NORMAL`,
      value: normalChain.usPerStep,
      unit: "µs/step",
      note: "opt-in: no fsync per commit",
    });
    for (const shape of options.quick ? [chain(100), fanOut(100)] : [chain(300), fanOut(300)]) {
      const us = await langGraphSqlite(dir, shape);
      rows.push({
        suite: SUITE,
        case: `${shape.name}: LangGraph SqliteSaver`,
        value: us,
        unit: "µs/step",
        note: "same shape, checkpoint per super-step",
      });
    }
    rows.push(...(await listing(dir, options.quick ? 20_000 : 100_000)));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
