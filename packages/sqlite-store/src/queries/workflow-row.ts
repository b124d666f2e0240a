/**
 * Updates of a workflow row that set only the columns a commit changes. A column named in `SET`
 * costs its indexes a delete and an insert even when the value stays the same, so a statement
 * that always set `status` rewrote a page of the status index at every step (a fifth of the
 * WAL a chain wrote per step). One prepared statement per combination of columns, made on first use.
 * @module
 */
import type { StepStatus, WorkflowCommit } from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";
import type { JsonCodec } from "../json.js";

type WorkflowFields = NonNullable<WorkflowCommit["workflow"]>;

const COUNT_COLUMNS = [
  ["n_pending", "pending"],
  ["n_running", "running"],
  ["n_awaiting_human", "awaiting_human"],
  ["n_succeeded", "succeeded"],
  ["n_failed", "failed"],
  ["n_skipped", "skipped"],
  ["n_cancelled", "cancelled"],
] as const satisfies readonly (readonly [string, StepStatus])[];

const STATUS = 1;
const VARIABLES = 2;
const UPDATED_AT = 4;
const NAME = 8;
const COUNTS = 16;

export class WorkflowRowUpdates {
  readonly #db: Database;
  readonly #json: JsonCodec;
  readonly #exists: Statement;
  readonly #statements = new Map<number, Statement>();

  constructor(db: Database, json: JsonCodec) {
    this.#db = db;
    this.#json = json;
    this.#exists = db.prepare("SELECT 1 FROM workflows WHERE id = ?").pluck();
  }

  /** Sets the given fields and step counts. @returns false when the workflow does not exist. */
  update(id: string, fields: WorkflowFields | undefined, counts: Record<StepStatus, number> | undefined): boolean {
    const values: unknown[] = [];
    let columns = 0;
    if (fields?.status !== undefined) {
      columns |= STATUS;
      values.push(fields.status);
    }
    if (fields?.variables !== undefined) {
      columns |= VARIABLES;
      values.push(this.#json.encode(fields.variables, `variables of ${id}`));
    }
    if (fields?.updated_at !== undefined) {
      columns |= UPDATED_AT;
      values.push(fields.updated_at);
    }
    if (fields && "name" in fields) {
      columns |= NAME;
      values.push(fields.name == null ? null : JSON.stringify(fields.name));
    }
    if (counts) {
      columns |= COUNTS;
      for (const [, status] of COUNT_COLUMNS) values.push(counts[status]);
    }
    if (columns === 0) return this.#exists.get(id) !== undefined;
    values.push(id);
    return this.#statement(columns).run(values).changes > 0;
  }

  #statement(columns: number): Statement {
    let statement = this.#statements.get(columns);
    if (!statement) {
      const set: string[] = [];
      if (columns & STATUS) set.push("status = ?");
      if (columns & VARIABLES) set.push("variables = ?");
      if (columns & UPDATED_AT) set.push("updated_at = ?");
      if (columns & NAME) set.push("name = ?");
      if (columns & COUNTS) for (const [column] of COUNT_COLUMNS) set.push(`${column} = ?`);
      statement = this.#db.prepare(`UPDATE workflows SET ${set.join(", ")} WHERE id = ?`);
      this.#statements.set(columns, statement);
    }
    return statement;
  }
}
