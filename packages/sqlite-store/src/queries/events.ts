/**
 * The event log, one row per commit (a batch of events in seq order). Appending a commit's events
 * is one insert; reading "events after seq n" decodes the batches from the one that holds n + 1.
 * @module
 */
import { ConflictError, type EventRecord, type ListEventsQuery } from "@tandem/core";
import type { Database, Statement } from "better-sqlite3";
import type { JsonCodec } from "../json.js";

/** How an event is kept inside a batch: `[seq, type, step_id, at, data]`. */
type EventTuple = [number, string, string | null, string, Record<string, unknown>];

export class EventLog {
  readonly #json: JsonCodec;
  readonly #insert: Statement;
  readonly #lastSeq: Statement;
  readonly #after: Statement;
  readonly #delete: Statement;

  constructor(db: Database, json: JsonCodec) {
    this.#json = json;
    this.#insert = db.prepare("INSERT INTO event_batches (workflow_id, last_seq, body) VALUES (?, ?, ?)");
    this.#lastSeq = db.prepare("SELECT max(last_seq) FROM event_batches WHERE workflow_id = ?").pluck();
    this.#after = db
      .prepare("SELECT body FROM event_batches WHERE workflow_id = ? AND last_seq > ? ORDER BY last_seq")
      .pluck();
    this.#delete = db.prepare("DELETE FROM event_batches WHERE workflow_id = ?");
  }

  /**
   * Appends events whose seq must strictly increase after `last` (the stored last seq when
   * omitted). @throws ConflictError when they do not: two writers on one workflow.
   */
  append(workflowId: string, events: EventRecord[], last?: number): void {
    if (events.length === 0) return;
    let previous = last ?? (this.#lastSeq.get(workflowId) as number | null) ?? 0;
    const tuples: EventTuple[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.seq <= previous) {
        throw new ConflictError(`Event seq ${event.seq} of workflow ${workflowId} does not follow ${previous}`);
      }
      previous = event.seq;
      tuples[i] = [event.seq, event.type, event.step_id, event.at, event.data];
    }
    const body = this.#json.encodeList(
      tuples,
      (tuple) => tuple[4],
      (i) => `event ${events[i]!.seq} of ${workflowId}`,
    );
    this.#insert.run(workflowId, previous, body);
  }

  list(workflowId: string, query: ListEventsQuery): EventRecord[] {
    const after = query.afterSeq ?? 0;
    const limit = query.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(query.limit));
    const out: EventRecord[] = [];
    if (limit === 0) return out;
    for (const body of this.#after.iterate(workflowId, after) as IterableIterator<string>) {
      for (const [seq, type, step_id, at, data] of this.#json.decode<EventTuple[]>(body, `events of ${workflowId}`)) {
        if (seq <= after) continue;
        out.push({ seq, type, workflow_id: workflowId, step_id, at, data });
        // Returning from the loop closes the statement's iterator.
        if (out.length === limit) return out;
      }
    }
    return out;
  }

  deleteAll(workflowId: string): void {
    this.#delete.run(workflowId);
  }
}
