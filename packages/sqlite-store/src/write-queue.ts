/**
 * Group commit. Every write of the store is a synchronous function queued here; the queue runs
 * everything queued within one event-loop turn in ONE `BEGIN IMMEDIATE` transaction, each
 * function inside its own savepoint, so one refused change does not poison the others. Each
 * caller's promise settles only after the transaction committed (or failed), so a resolved write
 * is durable at the connection's `synchronous` level.
 * @module
 */
import type { Database, Statement } from "better-sqlite3";
import { isBusy, isEnvironmental } from "./errors.js";

interface Op {
  run: () => unknown;
  /** Called when the op is taken into a transaction, before it runs or is refused. */
  onTaken?: () => void;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface WriteQueueOptions {
  /** How long to keep retrying `BEGIN IMMEDIATE` while another connection holds the write lock. */
  busyTimeoutMs: number;
  /** Turns a raw error into the error callers see. */
  mapError: (error: unknown) => unknown;
}

/**
 * Changes per transaction at most. Once steps free their concurrency slot before their commit, a
 * fan-out can queue hundreds of changes in one turn; one huge transaction (with a savepoint per
 * change) cost more CPU per change than batches of 64 here, and holds the event loop longer.
 */
const MAX_BATCH = 64;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WriteQueue {
  readonly #db: Database;
  readonly #options: WriteQueueOptions;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #savepoint: Statement;
  readonly #release: Statement;
  readonly #rollbackTo: Statement;
  #pending: Op[] = [];
  #scheduled = false;
  #flushing = false;
  #idle: (() => void)[] = [];
  /** Transactions committed so far (for benchmarks: commits per step). */
  transactions = 0;

  constructor(db: Database, options: WriteQueueOptions) {
    this.#db = db;
    this.#options = options;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#savepoint = db.prepare("SAVEPOINT tandem_change");
    this.#release = db.prepare("RELEASE tandem_change");
    this.#rollbackTo = db.prepare("ROLLBACK TO tandem_change");
  }

  /** Runs `fn` inside the next group transaction; resolves with its result once committed. */
  run<T>(fn: () => T, onTaken?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run: fn, onTaken, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Resolves once everything queued so far has been written (or refused). */
  onIdle(): Promise<void> {
    if (!this.#flushing && !this.#scheduled && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    this.#flushing = true;
    try {
      const beginError = await this.#beginImmediate();
      // Writes queued while we waited for the lock join this transaction.
      const batch = this.#pending.splice(0, MAX_BATCH);
      for (const op of batch) op.onTaken?.();
      if (beginError !== undefined) {
        const mapped = this.#options.mapError(beginError);
        for (const op of batch) op.reject(mapped);
        return;
      }
      try {
        this.#runBatch(batch);
      } catch (error) {
        // Only reachable when SQLite refuses a savepoint statement itself: settle everyone anyway.
        this.#rollback();
        const mapped = this.#options.mapError(error);
        for (const op of batch) op.reject(mapped);
      }
    } finally {
      this.#flushing = false;
      if (this.#pending.length > 0) this.#schedule();
      else for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** `BEGIN IMMEDIATE`, retried without blocking the event loop until `busyTimeoutMs` passed. */
  async #beginImmediate(): Promise<unknown> {
    const deadline = Date.now() + this.#options.busyTimeoutMs;
    let delay = 2;
    for (;;) {
      try {
        this.#begin.run();
        return undefined;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) return error;
      }
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, 50);
    }
  }

  #rollback(): void {
    try {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
    } catch {
      // SQLite already rolled back (it does so itself on some I/O and full-disk errors).
    }
  }

  /** Runs a batch in the open transaction and settles every op of it (only after COMMIT for successes). */
  #runBatch(batch: Op[]): void {
    // A savepoint per change isolates refusals; a batch of one needs none (a refusal rolls back all).
    const guarded = batch.length > 1;
    const outcomes: Outcome[] = [];
    let fatal: unknown;
    for (const op of batch) {
      if (guarded) this.#savepoint.run();
      try {
        const value = op.run();
        if (guarded) this.#release.run();
        outcomes.push({ ok: true, value });
      } catch (error) {
        if (isEnvironmental(error) || !guarded) {
          fatal = error;
          break;
        }
        this.#rollbackTo.run();
        this.#release.run();
        outcomes.push({ ok: false, error });
      }
    }
    if (fatal === undefined) {
      try {
        this.#commit.run();
        this.transactions++;
      } catch (error) {
        fatal = error;
      }
    }
    if (fatal !== undefined) {
      // Disk full, I/O error, lost lock, or the refusal of a lone change: nothing of this batch was written.
      this.#rollback();
      const mapped = this.#options.mapError(fatal);
      for (const op of batch) op.reject(mapped);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]!;
      if (outcome.ok) batch[i]!.resolve(outcome.value);
      else batch[i]!.reject(this.#options.mapError(outcome.error));
    }
  }
}
