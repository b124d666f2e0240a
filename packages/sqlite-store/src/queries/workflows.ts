/**
 * Workflow rows: create, commit (only the rows a change touches), read, delete, event log.
 * Every method is synchronous and meant to run inside the write queue's transaction (writes) or
 * on its own (reads).
 * @module
 */
import {
  ConflictError,
  type EventRecord,
  emptyStepCounts,
  type InterventionRecord,
  type ListEventsQuery,
  NotFoundError,
  type WorkflowCommit,
  type WorkflowRecord,
  type WorkflowStatus,
} from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";
import type { JsonCodec } from "../json.js";
import { EventLog } from "./events.js";
import { StepQueries } from "./steps.js";
import { WorkflowRowUpdates } from "./workflow-row.js";

export interface WorkflowRow {
  id: string;
  name: string | null;
  status: WorkflowStatus;
  variables: string;
  created_at: string;
  updated_at: string;
  schedule_id: string | null;
  scheduled_for: string | null;
  generation: string | null;
}

export class WorkflowQueries {
  readonly #json: JsonCodec;
  readonly #steps: StepQueries;
  readonly #events: EventLog;
  readonly #insertWorkflow: Statement;
  readonly #rowUpdates: WorkflowRowUpdates;
  readonly #exists: Statement;
  readonly #insertIntervention: Statement;
  readonly #getWorkflow: Statement;
  readonly #getInterventions: Statement;
  readonly #deletes: Statement[];

  constructor(db: Database, json: JsonCodec) {
    this.#json = json;
    this.#steps = new StepQueries(db, json);
    this.#events = new EventLog(db, json);
    this.#insertWorkflow = db.prepare(
      `INSERT INTO workflows (id, name, status, variables, created_at, updated_at, schedule_id, scheduled_for,
         generation, n_pending, n_running, n_awaiting_human, n_succeeded, n_failed, n_skipped, n_cancelled)
       VALUES (@id, @name, @status, @variables, @created_at, @updated_at, @schedule_id, @scheduled_for,
         @generation, @pending, @running, @awaiting_human, @succeeded, @failed, @skipped, @cancelled)`,
    );
    this.#rowUpdates = new WorkflowRowUpdates(db, json);
    this.#exists = db.prepare("SELECT 1 FROM workflows WHERE id = ?").pluck();
    this.#insertIntervention = db.prepare("INSERT INTO interventions (workflow_id, body) VALUES (?, ?)");
    this.#getWorkflow = db.prepare(
      `SELECT id, name, status, variables, created_at, updated_at, schedule_id, scheduled_for, generation
       FROM workflows WHERE id = ?`,
    );
    this.#getInterventions = db.prepare("SELECT body FROM interventions WHERE workflow_id = ? ORDER BY id").pluck();
    const targets = ["workflows WHERE id", "interventions WHERE workflow_id"];
    this.#deletes = targets.map((target) => db.prepare(`DELETE FROM ${target} = ?`));
  }

  create(record: WorkflowRecord, events: EventRecord[]): void {
    if (this.#exists.get(record.id) !== undefined) throw new ConflictError(`Workflow ${record.id} already exists`);
    const counts = emptyStepCounts();
    // The counts go into the workflow row whole.
    for (const step of record.steps) {
      counts[step.status]++;
      this.#steps.insert(record.id, step);
    }
    this.#insertWorkflow.run({
      id: record.id,
      name: record.name === null ? null : JSON.stringify(record.name),
      status: record.status,
      variables: this.#json.encode(record.variables, `the variables of workflow ${record.id}`),
      created_at: record.created_at,
      updated_at: record.updated_at,
      schedule_id: record.schedule_id,
      scheduled_for: record.scheduled_for,
      generation: record.generation === null ? null : this.#json.encode(record.generation, "generation info"),
      ...counts,
    });
    for (const intervention of record.interventions) this.#addIntervention(record.id, intervention);
    this.#events.append(record.id, events, 0);
  }

  commit(change: WorkflowCommit): void {
    const id = change.workflowId;
    const touchesSteps = Boolean(change.steps?.length || change.removedSteps?.length);
    // Counts the engine sends go in with the other columns: one row update per commit.
    if (!this.#rowUpdates.update(id, change.workflow, touchesSteps ? change.stepCounts : undefined)) {
      throw new NotFoundError(`Workflow ${id} not found`);
    }
    if (change.removedSteps) for (const stepId of change.removedSteps) this.#steps.remove(id, stepId);
    if (change.steps) {
      const specChanged = change.specChanged ? new Set(change.specChanged) : null;
      for (const step of change.steps) {
        // Only the run state changed: write that part alone, unless the row does not exist yet.
        if (specChanged && !specChanged.has(step.id) && this.#steps.putState(id, step)) continue;
        this.#steps.put(id, step);
      }
    }
    if (touchesSteps && !change.stepCounts) this.#rowUpdates.update(id, undefined, this.#steps.count(id));
    if (change.interventions) for (const intervention of change.interventions) this.#addIntervention(id, intervention);
    this.#events.append(id, change.events);
  }

  get(id: string): WorkflowRecord | null {
    const row = this.#getWorkflow.get(id) as WorkflowRow | undefined;
    if (!row) return null;
    const json = this.#json;
    const where = `workflow ${id}`;
    return {
      id: row.id,
      name: row.name === null ? null : json.decode<string>(row.name, where),
      status: row.status,
      variables: json.decode(row.variables, where),
      created_at: row.created_at,
      updated_at: row.updated_at,
      schedule_id: row.schedule_id,
      scheduled_for: row.scheduled_for,
      interventions: (this.#getInterventions.all(id) as string[]).map((b) => json.decode(b, `interventions of ${id}`)),
      steps: this.#steps.read(id),
      generation: row.generation === null ? null : json.decode(row.generation, where),
    };
  }

  /** @returns false when the workflow does not exist. */
  delete(id: string): boolean {
    const [workflow, ...rest] = this.#deletes;
    if (workflow!.run(id).changes === 0) return false;
    this.#steps.removeAll(id);
    this.#events.deleteAll(id);
    for (const statement of rest) statement.run(id);
    return true;
  }

  listEvents(workflowId: string, query: ListEventsQuery): EventRecord[] {
    return this.#events.list(workflowId, query);
  }

  #addIntervention(workflowId: string, intervention: InterventionRecord): void {
    this.#insertIntervention.run(workflowId, this.#json.encode(intervention, `an intervention on ${workflowId}`));
  }
}
