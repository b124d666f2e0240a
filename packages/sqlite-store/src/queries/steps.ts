/**
 * Step rows. A step's spec (`steps.body`) is written when the step is created or edited; its run
 * state (`step_state`, keyed by the step's row) is written at each transition. Specs can be large
 * and states are small, so a transition rewrites a few hundred bytes of pages, never its
 * neighbours' specs. A step without a state row is pending and has never run.
 * @module
 */
import { emptyStepCounts, type StepRecord, type StepStatus } from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";
import type { JsonCodec } from "../json.js";

interface StepRow {
  body: string;
  status: StepStatus | null;
  state: string | null;
}

type RunState = Pick<
  StepRecord,
  "status" | "resolved_args" | "result" | "error" | "attempts" | "started_at" | "finished_at" | "in_doubt"
>;

/** The state of a step with no `step_state` row. */
function neverRun(): RunState {
  return {
    status: "pending",
    resolved_args: null,
    result: null,
    error: null,
    attempts: 0,
    started_at: null,
    finished_at: null,
    in_doubt: false,
  };
}

function hasNeverRun(step: StepRecord): boolean {
  return (
    step.status === "pending" &&
    step.attempts === 0 &&
    step.resolved_args === null &&
    step.result === null &&
    step.error === null &&
    step.started_at === null &&
    step.finished_at === null &&
    !step.in_doubt
  );
}

export class StepQueries {
  readonly #json: JsonCodec;
  readonly #insert: Statement;
  readonly #upsertSpec: Statement;
  readonly #putStateBySeq: Statement;
  readonly #putStateById: Statement;
  readonly #remove: Statement;
  readonly #removeState: Statement;
  readonly #removeAllStates: Statement;
  readonly #removeAll: Statement;
  readonly #read: Statement;
  readonly #count: Statement;

  constructor(db: Database, json: JsonCodec) {
    this.#json = json;
    this.#insert = db.prepare("INSERT INTO steps (workflow_id, step_id, body) VALUES (?, ?, ?)");
    this.#upsertSpec = db
      .prepare(
        `INSERT INTO steps (workflow_id, step_id, body) VALUES (?, ?, ?)
         ON CONFLICT (workflow_id, step_id) DO UPDATE SET body = excluded.body RETURNING seq`,
      )
      .pluck();
    const onConflict = "ON CONFLICT (seq) DO UPDATE SET status = excluded.status, state = excluded.state";
    this.#putStateBySeq = db.prepare(`INSERT INTO step_state (seq, status, state) VALUES (?, ?, ?) ${onConflict}`);
    this.#putStateById = db.prepare(
      `INSERT INTO step_state (seq, status, state)
       SELECT seq, ?, ? FROM steps WHERE workflow_id = ? AND step_id = ? ${onConflict}`,
    );
    this.#remove = db.prepare("DELETE FROM steps WHERE workflow_id = ? AND step_id = ? RETURNING seq").pluck();
    this.#removeState = db.prepare("DELETE FROM step_state WHERE seq = ?");
    this.#removeAllStates = db.prepare(
      "DELETE FROM step_state WHERE seq IN (SELECT seq FROM steps WHERE workflow_id = ?)",
    );
    this.#removeAll = db.prepare("DELETE FROM steps WHERE workflow_id = ?");
    this.#read = db.prepare(
      `SELECT s.body, t.status, t.state FROM steps s LEFT JOIN step_state t ON t.seq = s.seq
       WHERE s.workflow_id = ? ORDER BY s.seq`,
    );
    this.#count = db.prepare(
      `SELECT coalesce(t.status, 'pending') AS status, count(*) AS n
       FROM steps s LEFT JOIN step_state t ON t.seq = s.seq WHERE s.workflow_id = ? GROUP BY 1`,
    );
  }

  /** Writes a step of a workflow being created (no row of that id exists yet). */
  insert(workflowId: string, step: StepRecord): void {
    const { lastInsertRowid } = this.#insert.run(workflowId, step.id, this.#json.encodeSpec(step, workflowId));
    if (!hasNeverRun(step)) this.#putState(lastInsertRowid, step, workflowId);
  }

  /** Writes a step whole: its spec (new or edited) and its state. */
  put(workflowId: string, step: StepRecord): void {
    const seq = this.#upsertSpec.get(workflowId, step.id, this.#json.encodeSpec(step, workflowId)) as number;
    this.#putState(seq, step, workflowId);
  }

  /** Writes a step's run state alone. @returns false when the step has no row yet. */
  putState(workflowId: string, step: StepRecord): boolean {
    const state = this.#json.encodeState(step, workflowId);
    return this.#putStateById.run(step.status, state, workflowId, step.id).changes > 0;
  }

  remove(workflowId: string, stepId: string): void {
    const seq = this.#remove.get(workflowId, stepId) as number | undefined;
    if (seq !== undefined) this.#removeState.run(seq);
  }

  removeAll(workflowId: string): void {
    this.#removeAllStates.run(workflowId);
    this.#removeAll.run(workflowId);
  }

  /** A workflow's steps in the order they were created (a replaced step keeps its place). */
  read(workflowId: string): StepRecord[] {
    const where = `a step of ${workflowId}`;
    return (this.#read.all(workflowId) as StepRow[]).map((row) => {
      const step = this.#json.decode<StepRecord>(row.body, where);
      if (row.state === null) return Object.assign(step, neverRun());
      step.status = row.status as StepStatus;
      return Object.assign(step, this.#json.decode<Partial<StepRecord>>(row.state, where));
    });
  }

  /** Counts a workflow's steps by status (for commits that do not bring counts of their own). */
  count(workflowId: string): Record<StepStatus, number> {
    const counts = emptyStepCounts();
    for (const row of this.#count.all(workflowId) as { status: StepStatus; n: number }[]) counts[row.status] = row.n;
    return counts;
  }

  #putState(seq: number | bigint, step: StepRecord, workflowId: string): void {
    this.#putStateBySeq.run(seq, step.status, this.#json.encodeState(step, workflowId));
  }
}
