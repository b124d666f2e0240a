/**
 * Retention: which finished workflows (completed, failed, cancelled) fall outside the age or
 * count limits, and which firing records (one per slot of a schedule) are no longer needed.
 * Running, paused and pending workflows are never removed.
 * @module
 */
import type { Database, Statement } from "better-sqlite3";

const FINISHED = "status IN ('completed', 'failed', 'cancelled')";

/**
 * Firing records kept per schedule whatever the limits (the history `listFirings` and the HTTP
 * firings route show, and a margin for a scheduler still working from an older cursor).
 */
export const FIRINGS_KEPT = 1000;

export class RetentionQueries {
  readonly #olderThan: Statement;
  readonly #beyondCount: Statement;
  readonly #nextFiringSchedule: Statement;
  readonly #cursorOf: Statement;
  readonly #oldestKept: Statement;
  readonly #deleteBefore: Statement;
  readonly #deleteAll: Statement;

  constructor(db: Database) {
    this.#olderThan = db.prepare(`SELECT id FROM workflows WHERE ${FINISHED} AND updated_at < ? LIMIT ?`).pluck();
    this.#beyondCount = db
      .prepare(`SELECT id FROM workflows WHERE ${FINISHED} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
      .pluck();
    // Walks the distinct schedule ids of `firings` by seeking its primary key, without a scan.
    this.#nextFiringSchedule = db
      .prepare("SELECT schedule_id FROM firings WHERE schedule_id > ? ORDER BY schedule_id LIMIT 1")
      .pluck();
    this.#cursorOf = db.prepare("SELECT json_extract(body, '$.next_run_at') AS cursor FROM schedules WHERE id = ?");
    this.#oldestKept = db
      .prepare("SELECT scheduled_for FROM firings WHERE schedule_id = ? ORDER BY scheduled_for DESC LIMIT 1 OFFSET ?")
      .pluck();
    this.#deleteBefore = db.prepare(
      `DELETE FROM firings WHERE schedule_id = @id AND scheduled_for IN
         (SELECT scheduled_for FROM firings WHERE schedule_id = @id AND scheduled_for < @bound
          ORDER BY scheduled_for LIMIT @limit)`,
    );
    this.#deleteAll = db.prepare(
      `DELETE FROM firings WHERE schedule_id = @id AND scheduled_for IN
         (SELECT scheduled_for FROM firings WHERE schedule_id = @id ORDER BY scheduled_for LIMIT @limit)`,
    );
  }

  /** Up to `limit` finished workflows last updated before `cutoff` (ISO 8601). */
  olderThan(cutoff: string, limit: number): string[] {
    return this.#olderThan.all(cutoff, limit) as string[];
  }

  /** Up to `limit` finished workflows beyond the `keep` newest ones. */
  beyondCount(keep: number, limit: number): string[] {
    return this.#beyondCount.all(limit, keep) as string[];
  }

  /** The first schedule id after `after` that has firing records, or null. */
  nextFiringSchedule(after: string): string | null {
    return (this.#nextFiringSchedule.get(after) as string | undefined) ?? null;
  }

  /**
   * Deletes up to `limit` firing records of one schedule that no scheduler can need again; call
   * inside a write transaction, so the cursor read is the one the deletion relies on.
   *
   * - Schedule gone: every record.
   * - Otherwise only slots before the schedule's cursor (`next_run_at`, the first slot not yet
   *   handled: no scheduler looks at an earlier slot again, and a claim at or after it, such as a
   *   slot claimed just before a crash, stays), and of those only the ones beyond the newest
   *   `keep` records or, when `ageCutoff` (ISO 8601) is given, scheduled before it.
   * @returns how many records were deleted.
   */
  pruneFirings(scheduleId: string, ageCutoff: string | null, keep: number, limit: number): number {
    const schedule = this.#cursorOf.get(scheduleId) as { cursor: string | null } | undefined;
    if (schedule === undefined) return this.#deleteAll.run({ id: scheduleId, limit }).changes;
    const oldestKept = this.#oldestKept.get(scheduleId, Math.max(0, keep - 1)) as string | undefined;
    const isText = (b: string | null | undefined): b is string => typeof b === "string";
    // Beyond the newest `keep` or older than the age limit: the later of the two bounds…
    const later = [oldestKept, ageCutoff].filter(isText).sort().at(-1);
    if (later === undefined) return 0;
    // …but never at or after the cursor. ISO 8601 strings of one format compare as their instants.
    const bound = [later, schedule.cursor].filter(isText).sort()[0] as string;
    return this.#deleteBefore.run({ id: scheduleId, bound, limit }).changes;
  }
}
