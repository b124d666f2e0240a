/**
 * `Store` on better-sqlite3: WAL, `synchronous=FULL` by default, every write in a
 * `BEGIN IMMEDIATE` transaction shared by the writes of one event-loop turn (group commit).
 * @module
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  ConflictError,
  type EventRecord,
  type FiringRecord,
  isTandemError,
  type ListEventsQuery,
  type ListWorkflowsQuery,
  type ScheduleRecord,
  type SessionRecord,
  type Store,
  TandemError,
  type WorkflowCommit,
  type WorkflowPage,
  type WorkflowRecord,
  type WorkflowStatus,
} from "@tandem/core";
import Database from "better-sqlite3";
import { CommitCoalescer } from "./commit-coalescer.js";
import { corruptError, toStoreError } from "./errors.js";
import { JsonCodec } from "./json.js";
import { ExecutorLease } from "./lease.js";
import { checkSchema, migrate } from "./migrate.js";
import { type ResolvedOptions, resolveOptions, type SqliteStoreOptions } from "./options.js";
import { ListingQueries } from "./queries/listing.js";
import { FIRINGS_KEPT, RetentionQueries } from "./queries/retention.js";
import { ScheduleQueries } from "./queries/schedules.js";
import { WorkflowQueries } from "./queries/workflows.js";
import { WriteQueue } from "./write-queue.js";

/** Workflows (or firing records) removed per retention transaction, so a clean-up never holds the lock for long. */
const RETENTION_BATCH = 500;

/**
 * A durable `Store` in one SQLite file.
 *
 * @example
 * const store = new SqliteStore({ path: ".tandem/tandem.db" });
 * const engine = createEngine({ store, agents });
 * @throws TandemError `store_corrupt` when the file is damaged or not a database (it is never
 *   replaced), `invalid_state` when it was written by a newer schema, `store_busy` when locked.
 */
export class SqliteStore implements Store {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly #options: ResolvedOptions;
  readonly #db: Database.Database;
  readonly #queue: WriteQueue;
  readonly #coalescer: CommitCoalescer;
  readonly #workflows: WorkflowQueries;
  readonly #listing: ListingQueries;
  readonly #schedules: ScheduleQueries;
  readonly #retention: RetentionQueries;
  readonly #lease: ExecutorLease;
  readonly #timers: NodeJS.Timeout[] = [];
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    this.#options = resolveOptions(options);
    this.path = resolve(this.#options.path);
    mkdirSync(dirname(this.path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(this.path, { timeout: Math.min(this.#options.busyTimeoutMs, 50) });
    } catch (error) {
      throw toStoreError(error, this.path);
    }
    this.#db = db;
    const json = new JsonCodec(this.path, this.#options.maxResultBytes);
    try {
      // Read-only checks first: a damaged, newer or foreign file is refused before anything is written.
      if (this.#options.integrityCheck === "quick") {
        const result = db.pragma("quick_check", { simple: true });
        if (result !== "ok") throw corruptError(this.path, `quick_check: ${String(result)}`);
      }
      checkSchema(db, this.path);
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${this.#options.synchronous}`);
      // After a checkpoint resets the WAL, truncate it back to this size (bytes).
      db.pragma("journal_size_limit = 67108864");
      // 16 MiB of page cache: listing pages and recovery reads stay in memory on large histories.
      db.pragma("cache_size = -16384");
      migrate(db, this.path);
    } catch (error) {
      db.close();
      throw toStoreError(error, this.path);
    }
    try {
      this.#workflows = new WorkflowQueries(db, json);
      this.#listing = new ListingQueries(db, json);
      this.#schedules = new ScheduleQueries(db, json);
      this.#retention = new RetentionQueries(db);
      this.#lease = new ExecutorLease(db, this.path, this.#options.leaseTimeoutMs);
      const mapError = (error: unknown) => toStoreError(error, this.path);
      this.#queue = new WriteQueue(db, { busyTimeoutMs: this.#options.busyTimeoutMs, mapError });
      this.#coalescer = new CommitCoalescer(db);
    } catch (error) {
      db.close();
      // The schema is at our version, yet our statements do not compile against it: damaged.
      throw isTandemError(error) ? error : corruptError(this.path, `schema does not match: ${String(error)}`, error);
    }
    this.#every(this.#options.checkpointIntervalMs, () => this.checkpoint("TRUNCATE"));
    // Always: without workflow limits it still prunes firing records, which are bookkeeping.
    this.#every(this.#options.retention.intervalMs, () => this.applyRetention());
  }

  /**
   * The underlying better-sqlite3 connection, for inspection and tests. Writing through it
   * bypasses the store's guarantees.
   * @experimental
   */
  get connection(): Database.Database {
    return this.#db;
  }

  /** Write transactions committed since the store opened (group commit makes this < writes). */
  get transactionCount(): number {
    return this.#queue.transactions;
  }

  createWorkflow(record: WorkflowRecord, events: EventRecord[]): Promise<void> {
    return this.#write(() => this.#workflows.create(record, events));
  }

  commit(change: WorkflowCommit): Promise<void> {
    return this.#coalescer.commit(
      change,
      (run, onTaken) => this.#write(run, onTaken),
      (folded) => this.#workflows.commit(folded),
    );
  }

  async getWorkflow(id: string): Promise<WorkflowRecord | null> {
    return this.#read(() => this.#workflows.get(id));
  }

  async listWorkflows(query: ListWorkflowsQuery = {}): Promise<WorkflowPage> {
    return this.#read(() => this.#listing.list(query));
  }

  async findWorkflowIds(statuses: WorkflowStatus[], scheduleId?: string): Promise<string[]> {
    return this.#read(() => this.#listing.findIds(statuses, scheduleId));
  }

  deleteWorkflow(id: string): Promise<boolean> {
    return this.#write(() => this.#workflows.delete(id));
  }

  async listEvents(workflowId: string, query: ListEventsQuery = {}): Promise<EventRecord[]> {
    return this.#read(() => this.#workflows.listEvents(workflowId, query));
  }

  saveSchedule(schedule: ScheduleRecord): Promise<void> {
    return this.#write(() => this.#schedules.saveSchedule(schedule));
  }

  async getSchedule(id: string): Promise<ScheduleRecord | null> {
    return this.#read(() => this.#schedules.getSchedule(id));
  }

  async listSchedules(): Promise<ScheduleRecord[]> {
    return this.#read(() => this.#schedules.listSchedules());
  }

  deleteSchedule(id: string): Promise<boolean> {
    return this.#write(() => this.#schedules.deleteSchedule(id));
  }

  claimFiring(firing: FiringRecord): Promise<boolean> {
    return this.#write(() => this.#schedules.claimFiring(firing));
  }

  setFiringWorkflow(scheduleId: string, scheduledFor: string, workflowId: string): Promise<void> {
    return this.#write(() => this.#schedules.setFiringWorkflow(scheduleId, scheduledFor, workflowId));
  }

  async listFirings(scheduleId: string, limit = 100): Promise<FiringRecord[]> {
    return this.#read(() => this.#schedules.listFirings(scheduleId, limit));
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    return this.#read(() => this.#schedules.getSession(id));
  }

  saveSession(session: SessionRecord): Promise<void> {
    return this.#write(() => this.#schedules.saveSession(session));
  }

  deleteSession(id: string): Promise<boolean> {
    return this.#write(() => this.#schedules.deleteSession(id));
  }

  /**
   * Makes this store the only one executing workflows from the file. The lease is refreshed by a
   * heartbeat and released by `close()`; a holder that died (kill -9) is detected by its pid, or
   * after `leaseTimeoutMs` without heartbeat.
   * @throws ConflictError naming the file and the holder while another live engine holds it.
   */
  async acquireExecutorLease(ownerId: string): Promise<void> {
    const first = this.#lease.owner === undefined;
    await this.#write(() => this.#lease.acquire(ownerId));
    if (first) this.#every(this.#options.leaseTimeoutMs / 3, () => this.#write(() => this.#lease.heartbeat()));
  }

  /**
   * Deletes finished workflows (completed, failed, cancelled) beyond the retention limits, in
   * batches, then prunes firing records ({@link SqliteStore.pruneFirings}). Runs every
   * `retention.intervalMs`, with or without limits.
   * @returns the number of workflows deleted.
   */
  async applyRetention(): Promise<number> {
    const { maxAgeMs, maxCount } = this.#options.retention;
    await this.pruneFirings();
    let deleted = 0;
    const purge = (select: () => string[]) =>
      this.#deleteInBatches(() => {
        const ids = select();
        for (const id of ids) this.#workflows.delete(id);
        return ids.length;
      });
    if (maxAgeMs !== undefined) {
      const cutoff = new Date(Date.now() - maxAgeMs).toISOString();
      deleted += await purge(() => this.#retention.olderThan(cutoff, RETENTION_BATCH));
    }
    if (maxCount !== undefined) deleted += await purge(() => this.#retention.beyondCount(maxCount, RETENTION_BATCH));
    return deleted;
  }

  /** Runs `batch` (deleting up to RETENTION_BATCH rows) in write transactions until one deletes fewer. */
  async #deleteInBatches(batch: () => number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await this.#write(batch);
      deleted += n;
      if (n < RETENTION_BATCH) return deleted;
    }
  }

  /**
   * Deletes the firing records no scheduler can need again: all of a deleted schedule's, and of
   * a live schedule's only slots before its cursor (`next_run_at`) that are beyond the newest
   * 1,000 records or, with `retention.maxAgeMs`, scheduled before that age. A claim at or after
   * the cursor is never deleted, so no slot can fire twice. Part of `applyRetention`.
   * @returns the number of firing records deleted.
   */
  async pruneFirings(): Promise<number> {
    const { maxAgeMs } = this.#options.retention;
    const ageCutoff = maxAgeMs === undefined ? null : new Date(Date.now() - maxAgeMs).toISOString();
    let deleted = 0;
    let scheduleId = this.#read(() => this.#retention.nextFiringSchedule(""));
    while (scheduleId !== null) {
      const id = scheduleId;
      deleted += await this.#deleteInBatches(() =>
        this.#retention.pruneFirings(id, ageCutoff, FIRINGS_KEPT, RETENTION_BATCH),
      );
      scheduleId = this.#read(() => this.#retention.nextFiringSchedule(id));
    }
    return deleted;
  }

  /**
   * Copies the database into a new file with `VACUUM INTO` (a consistent snapshot, compacted).
   * @throws ConflictError when `toPath` exists already.
   */
  async backup(toPath: string): Promise<void> {
    const target = resolve(toPath);
    if (existsSync(target)) throw new ConflictError(`Backup target ${target} already exists: choose a new file`);
    await this.#queue.onIdle();
    this.#read(() => this.#db.prepare("VACUUM INTO ?").run(target));
  }

  /**
   * Moves WAL content into the database file. `TRUNCATE` (run every `checkpointIntervalMs`) also
   * shrinks the WAL to zero bytes when no reader holds an older snapshot.
   * @returns whether the checkpoint could complete (false while another connection reads).
   */
  checkpoint(mode: "PASSIVE" | "TRUNCATE" = "PASSIVE"): boolean {
    const [row] = this.#read(() => this.#db.pragma(`wal_checkpoint(${mode})`)) as { busy: number }[];
    return row?.busy === 0;
  }

  /** Waits for queued writes, releases the executor lease and closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#queue.onIdle();
    if (this.#lease.owner !== undefined)
      await this.#write(() => this.#lease.release()).catch(() => this.#lease.forget());
    this.#closed = true;
    try {
      this.#db.pragma("wal_checkpoint(PASSIVE)");
    } catch {
      // Best effort: the WAL is replayed at the next open anyway.
    }
    this.#db.close();
  }

  /** `onTaken` marks a commit the coalescer may still fold into; any other write ends such a run. */
  #write<T>(fn: () => T, onTaken?: () => void): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (!onTaken) this.#coalescer.interrupt();
    return this.#queue.run(fn, onTaken);
  }

  #read<T>(fn: () => T): T {
    if (this.#closed) throw this.#closedError();
    try {
      return fn();
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  #every(ms: number, fn: () => unknown): void {
    if (!(ms > 0)) return;
    const timer = setInterval(() => {
      if (this.#closed) return;
      Promise.resolve()
        .then(fn)
        .catch(() => {
          // Background upkeep: a failure (busy, disk full) is retried at the next tick.
        });
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  #closedError(): TandemError {
    return new TandemError("invalid_state", `The SQLite store ${this.path} is closed`);
  }
}
