/**
 * Workflow listing: newest first by `(created_at, id)`, keyset-paginated through an index (never
 * OFFSET), with step counts read from the workflow row (written with each commit).
 * @module
 */
import {
  decodeCursor,
  encodeCursor,
  type ListWorkflowsQuery,
  normalizeLimit,
  STEP_STATUSES,
  type StepStatus,
  type WorkflowPage,
  type WorkflowStatus,
  type WorkflowSummary,
} from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";
import type { JsonCodec } from "../json.js";

type SummaryRow = Omit<WorkflowSummary, "step_counts"> & Record<`n_${StepStatus}`, number>;

const COLUMNS = `id, name, status, created_at, updated_at, schedule_id, scheduled_for, ${STEP_STATUSES.map((s) => `n_${s}`).join(", ")}`;

export class ListingQueries {
  readonly #db: Database;
  readonly #json: JsonCodec;
  /** One prepared statement per combination of filters and cursor, made on first use. */
  readonly #statements = new Map<string, Statement>();
  readonly #findIds: Statement;
  readonly #findIdsBySchedule: Statement;

  constructor(db: Database, json: JsonCodec) {
    this.#db = db;
    this.#json = json;
    const find = "SELECT id FROM workflows WHERE status IN (SELECT value FROM json_each(?))";
    this.#findIds = db.prepare(`${find} ORDER BY created_at, id`).pluck();
    this.#findIdsBySchedule = db.prepare(`${find} AND schedule_id = ? ORDER BY created_at, id`).pluck();
  }

  list(query: ListWorkflowsQuery): WorkflowPage {
    const limit = normalizeLimit(query.limit);
    const params: Record<string, string | number> = { limit: limit + 1 };
    const where: string[] = [];
    if (query.status !== undefined) {
      where.push("status = @status");
      params.status = query.status;
    }
    if (query.scheduleId !== undefined) {
      where.push("schedule_id = @schedule_id");
      params.schedule_id = query.scheduleId;
    }
    if (query.cursor !== undefined) {
      [params.cursor_created, params.cursor_id] = decodeCursor(query.cursor);
      where.push("(created_at, id) < (@cursor_created, @cursor_id)");
    }
    const rows = this.#statement(where).all(params) as SummaryRow[];
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => this.#summary(row)),
      nextCursor: more && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  findIds(statuses: WorkflowStatus[], scheduleId?: string): string[] {
    const wanted = JSON.stringify(statuses);
    return (
      scheduleId === undefined ? this.#findIds.all(wanted) : this.#findIdsBySchedule.all(wanted, scheduleId)
    ) as string[];
  }

  #statement(where: string[]): Statement {
    const key = where.join(" AND ");
    let statement = this.#statements.get(key);
    if (!statement) {
      const filter = where.length ? `WHERE ${key}` : "";
      statement = this.#db.prepare(
        `SELECT ${COLUMNS} FROM workflows ${filter} ORDER BY created_at DESC, id DESC LIMIT @limit`,
      );
      this.#statements.set(key, statement);
    }
    return statement;
  }

  #summary(row: SummaryRow): WorkflowSummary {
    const step_counts = {} as Record<StepStatus, number>;
    for (const status of STEP_STATUSES) step_counts[status] = row[`n_${status}`];
    return {
      id: row.id,
      name: row.name === null ? null : this.#json.decode<string>(row.name, `workflow ${row.id}`),
      status: row.status,
      created_at: row.created_at,
      updated_at: row.updated_at,
      schedule_id: row.schedule_id,
      scheduled_for: row.scheduled_for,
      step_counts,
    };
  }
}
