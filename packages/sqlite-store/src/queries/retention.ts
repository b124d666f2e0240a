/**
 * Retention: which finished workflows (completed, failed, cancelled) fall outside the age or
 * count limits. Running, paused and pending workflows are never removed.
 * @module
 */
import type { Database, Statement } from "better-sqlite3";

const FINISHED = "status IN ('completed', 'failed', 'cancelled')";

export class RetentionQueries {
  readonly #olderThan: Statement;
  readonly #beyondCount: Statement;

  constructor(db: Database) {
    this.#olderThan = db.prepare(`SELECT id FROM workflows WHERE ${FINISHED} AND updated_at < ? LIMIT ?`).pluck();
    this.#beyondCount = db
      .prepare(`SELECT id FROM workflows WHERE ${FINISHED} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
      .pluck();
  }

  /** Up to `limit` finished workflows last updated before `cutoff` (ISO 8601). */
  olderThan(cutoff: string, limit: number): string[] {
    return this.#olderThan.all(cutoff, limit) as string[];
  }

  /** Up to `limit` finished workflows beyond the `keep` newest ones. */
  beyondCount(keep: number, limit: number): string[] {
    return this.#beyondCount.all(limit, keep) as string[];
  }
}
