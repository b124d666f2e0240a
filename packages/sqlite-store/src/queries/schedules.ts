/**
 * Schedules, firings (one row per slot: the primary key makes a slot fire at most once) and
 * wizard sessions. Records are kept whole as JSON; only the columns used to look them up or order
 * them are separate.
 * @module
 */
import { type FiringRecord, NotFoundError, type ScheduleRecord, type SessionRecord } from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";
import type { JsonCodec } from "../json.js";

export class ScheduleQueries {
  readonly #json: JsonCodec;
  readonly #saveSchedule: Statement;
  readonly #getSchedule: Statement;
  readonly #listSchedules: Statement;
  readonly #deleteSchedule: Statement;
  readonly #deleteFirings: Statement;
  readonly #claimFiring: Statement;
  readonly #setFiringWorkflow: Statement;
  readonly #listFirings: Statement;
  readonly #saveSession: Statement;
  readonly #getSession: Statement;
  readonly #deleteSession: Statement;

  constructor(db: Database, json: JsonCodec) {
    this.#json = json;
    this.#saveSchedule = db.prepare(
      `INSERT INTO schedules (id, created_at, body) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, body = excluded.body`,
    );
    this.#getSchedule = db.prepare("SELECT body FROM schedules WHERE id = ?").pluck();
    this.#listSchedules = db.prepare("SELECT body FROM schedules ORDER BY created_at, id").pluck();
    this.#deleteSchedule = db.prepare("DELETE FROM schedules WHERE id = ?");
    this.#deleteFirings = db.prepare("DELETE FROM firings WHERE schedule_id = ?");
    this.#claimFiring = db.prepare(
      "INSERT INTO firings (schedule_id, scheduled_for, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    );
    this.#setFiringWorkflow = db.prepare(
      "UPDATE firings SET body = json_set(body, '$.workflow_id', ?) WHERE schedule_id = ? AND scheduled_for = ?",
    );
    this.#listFirings = db
      .prepare("SELECT body FROM firings WHERE schedule_id = ? ORDER BY scheduled_for DESC LIMIT ?")
      .pluck();
    this.#saveSession = db.prepare(
      `INSERT INTO sessions (id, updated_at, body) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body`,
    );
    this.#getSession = db.prepare("SELECT body FROM sessions WHERE id = ?").pluck();
    this.#deleteSession = db.prepare("DELETE FROM sessions WHERE id = ?");
  }

  saveSchedule(schedule: ScheduleRecord): void {
    this.#saveSchedule.run(schedule.id, schedule.created_at, this.#json.encode(schedule, `schedule ${schedule.id}`));
  }

  getSchedule(id: string): ScheduleRecord | null {
    const body = this.#getSchedule.get(id) as string | undefined;
    return body === undefined ? null : this.#json.decode(body, `schedule ${id}`);
  }

  listSchedules(): ScheduleRecord[] {
    return (this.#listSchedules.all() as string[]).map((body) => this.#json.decode(body, "a schedule"));
  }

  /** Deletes the schedule and its firing records (one transaction: the caller's). */
  deleteSchedule(id: string): boolean {
    this.#deleteFirings.run(id);
    return this.#deleteSchedule.run(id).changes > 0;
  }

  claimFiring(firing: FiringRecord): boolean {
    const body = this.#json.encode(firing, `a firing of ${firing.schedule_id}`);
    return this.#claimFiring.run(firing.schedule_id, firing.scheduled_for, body).changes > 0;
  }

  setFiringWorkflow(scheduleId: string, scheduledFor: string, workflowId: string): void {
    if (this.#setFiringWorkflow.run(workflowId, scheduleId, scheduledFor).changes === 0) {
      throw new NotFoundError(`No firing of schedule ${scheduleId} at ${scheduledFor}`);
    }
  }

  listFirings(scheduleId: string, limit: number): FiringRecord[] {
    const rows = this.#listFirings.all(scheduleId, Math.max(0, Math.floor(limit))) as string[];
    return rows.map((body) => this.#json.decode(body, `a firing of ${scheduleId}`));
  }

  saveSession(session: SessionRecord): void {
    this.#saveSession.run(session.id, session.updated_at, this.#json.encode(session, `session ${session.id}`));
  }

  getSession(id: string): SessionRecord | null {
    const body = this.#getSession.get(id) as string | undefined;
    return body === undefined ? null : this.#json.decode(body, `session ${id}`);
  }

  deleteSession(id: string): boolean {
    return this.#deleteSession.run(id).changes > 0;
  }
}
