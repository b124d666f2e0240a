import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StepRecord, WorkflowRecord } from "@tandem/core";
import { makeEvent, makeStep, makeWorkflow } from "@tandem/core/testing";
import { afterAll } from "vitest";
import { SqliteStore, type SqliteStoreOptions } from "../src/index.js";

/** A temp directory removed after the file's tests. */
export function tempDir(prefix = "tandem-sqlite-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function openStore(path: string, options: Partial<SqliteStoreOptions> = {}): SqliteStore {
  return new SqliteStore({ path, checkpointIntervalMs: 0, ...options });
}

/** A chain s0 -> s1 -> … of `n` steps. */
export function chain(id: string, n: number, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  const steps: StepRecord[] = Array.from({ length: n }, (_, i) =>
    makeStep(`s${i}`, { depends_on: i === 0 ? [] : [`s${i - 1}`] }),
  );
  return makeWorkflow(id, { status: "running", steps, ...overrides });
}

export async function createChain(store: SqliteStore, id: string, n: number, overrides: Partial<WorkflowRecord> = {}) {
  await store.createWorkflow(chain(id, n, overrides), [makeEvent(id, 1, "workflow.created")]);
}

/** Commits step `i` of a chain as succeeded and the next one as running: 2 events. */
export async function advanceChain(store: SqliteStore, id: string, i: number, n: number): Promise<void> {
  const steps = [makeStep(`s${i}`, { status: "succeeded", result: { i, text: "é\ud800" }, attempts: 1 })];
  if (i + 1 < n) steps.push(makeStep(`s${i + 1}`, { status: "running", depends_on: [`s${i}`] }));
  await store.commit({
    workflowId: id,
    steps,
    workflow: i + 1 === n ? { status: "completed" } : undefined,
    events: [makeEvent(id, 2 + 2 * i, "step.succeeded", `s${i}`), makeEvent(id, 3 + 2 * i, "step.started")],
  });
}

/** Steps of a chain must be a consistent prefix: every succeeded step's parents succeeded. */
export function assertConsistentChain(record: WorkflowRecord): number {
  const byId = new Map(record.steps.map((s) => [s.id, s]));
  let succeeded = 0;
  for (const step of record.steps) {
    if (step.status !== "succeeded") continue;
    succeeded++;
    for (const parent of step.depends_on) {
      if (byId.get(parent)?.status !== "succeeded") throw new Error(`${step.id} succeeded before ${parent}`);
    }
  }
  return succeeded;
}
