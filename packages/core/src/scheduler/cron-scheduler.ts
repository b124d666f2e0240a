/**
 * The cron scheduler: schedules and firing records in the store, driven by a short
 * reconciliation timer on the engine's `Clock` and the wall clock — never by a timer set for the
 * next slot itself, so a monthly job cannot overflow Node's 24.8-day timer limit and fire at once,
 * and a laptop waking from sleep sees what it missed at the next tick.
 * @module
 */
import type { Engine } from "../engine-types.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { FiringRecord, ScheduleRecord } from "../workflow/schema.js";
import type { Clock } from "./clock.js";
import { fireTimes } from "./next-fire-times.js";
import { validateScheduleInput } from "./schedule-input.js";
import type { ScheduleInput, Scheduler } from "./scheduler.js";
import { SlotFiring } from "./slot-firing.js";

export interface SchedulerOptions {
  /** The engine that creates and runs each firing's workflow; its store keeps the schedules. */
  engine: Engine;
  /** @default engine.clock */
  clock?: Clock;
  /** Longest wait between two looks at the schedules; the timer is never set further out. @default 1000 */
  reconcileIntervalMs?: number;
  /** Shortest interval between two fire times a schedule may have. @default 1000 */
  minIntervalMs?: number;
  /** Most schedules kept; creating one more is refused. @default 1000 */
  maxSchedules?: number;
  /** Most missed slots `catch_up: "all"` runs after downtime; the rest are recorded as skipped. @default 10 */
  catchUpLimit?: number;
  /** How late a slot may be noticed and still count as on time rather than missed. @default 60_000 */
  lateToleranceMs?: number;
  /** @default engine.logger */
  logger?: Logger;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Creates a {@link CronScheduler}. Call `start()` to begin firing. @throws TypeError on bad options */
export function createScheduler(options: SchedulerOptions): CronScheduler {
  return new CronScheduler(options);
}

/**
 * {@link Scheduler} on cron-parser and the `Store`. Every slot is claimed in the store
 * (`claimFiring`) before its workflow is created, so a slot runs at most once across restarts and
 * across schedulers sharing a store; every slot not run is recorded as skipped with its reason.
 */
export class CronScheduler implements Scheduler {
  readonly #engine: Engine;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #interval: number;
  readonly #minInterval: number;
  readonly #maxSchedules: number;
  readonly #catchUpLimit: number;
  readonly #slots: SlotFiring;
  readonly #locks = new Map<string, Promise<unknown>>();
  #started = false;
  #cancelTimer: (() => void) | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  #ticking: Promise<void> | null = null;
  #again = false;
  #nextDue = Number.POSITIVE_INFINITY;
  #standbyLogged = false;

  constructor(options: SchedulerOptions) {
    this.#engine = options.engine;
    this.#clock = options.clock ?? options.engine.clock;
    this.#logger = options.logger ?? options.engine.logger;
    this.#interval = positive("reconcileIntervalMs", options.reconcileIntervalMs ?? 1000, 1);
    this.#minInterval = positive("minIntervalMs", options.minIntervalMs ?? 1000, 1000);
    this.#maxSchedules = positive("maxSchedules", options.maxSchedules ?? 1000, 1);
    this.#catchUpLimit = positive("catchUpLimit", options.catchUpLimit ?? 10, 0);
    const tolerance = positive("lateToleranceMs", options.lateToleranceMs ?? 60_000, 0);
    this.#slots = new SlotFiring(this.#engine, this.#clock, this.#logger, tolerance);
  }

  async createSchedule(
    input: ScheduleInput,
    options: { defaultVariables?: Readonly<Record<string, unknown>> } = {},
  ): Promise<ScheduleRecord> {
    const now = this.#clock.now();
    const existing = await this.#engine.store.listSchedules();
    if (existing.length >= this.#maxSchedules) {
      const message = `at most ${this.#maxSchedules} schedules may exist; delete one first`;
      throw new ValidationError([{ path: [], code: "too_many_schedules", message }], message, "invalid_request");
    }
    const valid = await validateScheduleInput(input, {
      engine: this.#engine,
      minIntervalMs: this.#minInterval,
      now,
      defaultVariables: options.defaultVariables ?? {},
    });
    const next = fireTimes(valid.spec, valid.timezone, now).next();
    const record: ScheduleRecord = {
      id: `sch_${globalThis.crypto.randomUUID()}`,
      name: valid.name,
      cron: valid.cron,
      timezone: valid.timezone,
      steps: valid.steps,
      variables: valid.variables,
      workflow_id: valid.workflowId,
      overlap: valid.overlap,
      catch_up: valid.catchUp,
      catch_up_limit: this.#catchUpLimit,
      paused: false,
      next_run_at: next.done ? null : iso(next.value),
      last_run_at: null,
      last_workflow_id: null,
      created_at: iso(now),
      updated_at: iso(now),
    };
    await this.#engine.store.saveSchedule(record);
    if (!next.done) this.#wakeBy(next.value);
    return record;
  }

  listSchedules(): Promise<ScheduleRecord[]> {
    return this.#engine.store.listSchedules();
  }

  async getSchedule(id: string): Promise<ScheduleRecord> {
    const record = await this.#engine.store.getSchedule(id);
    if (!record) throw new NotFoundError(`No schedule ${id}`);
    return record;
  }

  deleteSchedule(id: string): Promise<void> {
    return this.#withLock(id, async () => {
      if (!(await this.#engine.store.deleteSchedule(id))) throw new NotFoundError(`No schedule ${id}`);
    });
  }

  pauseSchedule(id: string): Promise<ScheduleRecord> {
    return this.#withLock(id, () => this.#mustUpdate(id, (r) => ({ ...r, paused: true })));
  }

  /** Unpauses; slots that came due while paused follow the catch-up policy (reason `paused`). */
  resumeSchedule(id: string): Promise<ScheduleRecord> {
    return this.#withLock(id, async () => {
      if (!(await this.getSchedule(id)).paused) return this.getSchedule(id);
      const record = await this.#mustUpdate(id, (r) => ({ ...r, paused: false }));
      if (!(await this.#canExecute())) return record; // the executing engine's scheduler catches up
      const next = await this.#slots.handleDue(record, this.#clock.now(), "paused");
      if (next !== null) this.#wakeBy(next);
      return this.getSchedule(id);
    });
  }

  /** Fires now with `scheduled_for` = now, whatever the cron, overlap policy or pause say. */
  runNow(id: string): Promise<{ workflow_id: string }> {
    return this.#withLock(id, async () => {
      const record = await this.getSchedule(id);
      const at = this.#clock.now();
      const workflowId = await this.#slots.fire(record, at, at);
      if (workflowId === null) throw new ConflictError(`Schedule ${id} already has a firing at ${iso(at)}`);
      return { workflow_id: workflowId };
    });
  }

  listFirings(id: string, limit = 100): Promise<FiringRecord[]> {
    return this.#engine.store.listFirings(id, limit);
  }

  /** Handles what came due (catch-up after downtime) and keeps looking every `reconcileIntervalMs`. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#tick();
  }

  /** Stops the timer and waits for a reconciliation in progress. Running workflows are untouched. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    await this.#ticking;
  }

  #tick(): Promise<void> {
    if (this.#ticking) {
      this.#again = true;
      return this.#ticking;
    }
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#ticking = (async () => {
      do {
        this.#again = false;
        await this.#reconcile();
      } while (this.#again && this.#started);
    })().finally(() => {
      this.#ticking = null;
      this.#arm();
    });
    return this.#ticking;
  }

  async #reconcile(): Promise<void> {
    // Recomputed on every pass; a failed or standby pass polls at the interval, never in a loop.
    this.#nextDue = Number.POSITIVE_INFINITY;
    if (!(await this.#canExecute())) return;
    const now = this.#clock.now();
    let earliest = Number.POSITIVE_INFINITY;
    let schedules: ScheduleRecord[] = [];
    try {
      schedules = await this.#engine.store.listSchedules();
    } catch (error) {
      this.#logger.error("scheduler could not list schedules", { error: String(error) });
    }
    for (const listed of schedules) {
      if (listed.paused) continue;
      const cursor = listed.next_run_at === null ? null : Date.parse(listed.next_run_at);
      if (cursor === null || cursor > now) {
        if (cursor !== null) earliest = Math.min(earliest, cursor);
        continue; // nothing due: no lock, no re-read
      }
      try {
        const next = await this.#withLock(listed.id, async () => {
          const record = await this.#engine.store.getSchedule(listed.id);
          return record && !record.paused ? this.#slots.handleDue(record, now, "missed") : null;
        });
        if (next !== null) earliest = Math.min(earliest, next);
      } catch (error) {
        this.#logger.error("scheduler could not handle a schedule", { schedule_id: listed.id, error: String(error) });
      }
    }
    this.#nextDue = Math.min(this.#nextDue, earliest); // keeps a wake-up asked for during the pass
  }

  /**
   * A scheduler whose engine may not execute (another engine holds the store's executor lease)
   * stands by: it claims no slot, since a claimed slot whose workflow cannot be created is lost.
   */
  async #canExecute(): Promise<boolean> {
    try {
      await this.#engine.ready();
      this.#standbyLogged = false;
      return true;
    } catch (error) {
      if (!this.#standbyLogged)
        this.#logger.warn("scheduler stands by: its engine cannot execute", { error: String(error) });
      this.#standbyLogged = true;
      return false;
    }
  }

  async #mustUpdate(id: string, change: (r: ScheduleRecord) => ScheduleRecord): Promise<ScheduleRecord> {
    const updated = await this.#slots.update(id, this.#clock.now(), change);
    if (!updated) throw new NotFoundError(`No schedule ${id}`);
    return updated;
  }

  /** Serialises work on one schedule within this scheduler (other schedulers are kept apart by claims). */
  #withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => {});
    this.#locks.set(id, tail);
    void tail.then(() => {
      if (this.#locks.get(id) === tail) this.#locks.delete(id);
    });
    return run;
  }

  /** Makes sure a tick happens no later than `at` (a new or resumed schedule may be due sooner). */
  #wakeBy(at: number): void {
    this.#nextDue = Math.min(this.#nextDue, at);
    if (this.#started && !this.#ticking && at < this.#timerAt) this.#arm();
  }

  /** The next tick: the next due slot or one interval from now, whichever is sooner. */
  #arm(): void {
    if (!this.#started) return;
    this.#cancelTimer?.();
    const now = this.#clock.now();
    const at = Math.max(now, Math.min(now + this.#interval, this.#nextDue));
    this.#timerAt = at;
    this.#cancelTimer = this.#clock.setTimer(at, () => {
      this.#cancelTimer = null;
      this.#timerAt = Number.POSITIVE_INFINITY;
      void this.#tick();
    });
  }
}

function positive(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`Expected \`${name}\` to be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}
