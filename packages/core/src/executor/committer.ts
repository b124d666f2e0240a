/**
 * Durable before visible: commits a run's buffered changes to the store, then emits their events
 * in seq order. Also counts in-flight work for `onIdle()`, and batches the `running` rows of fast
 * steps into their completion commits.
 * @module
 */
import { type EngineEmitter, type EngineEventType, safeEmit } from "../events.js";
import type { Logger } from "../logger.js";
import type { Clock } from "../scheduler/clock.js";
import type { Store } from "../store/store.js";
import type { EventRecord } from "../workflow/schema.js";
import type { WorkflowRun } from "./workflow-run.js";

export interface CommitterOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  events: EngineEmitter;
  startedFlushMs: number;
  isClosing: () => boolean;
  /** Called after a commit leaves a run with nothing in flight and not running. */
  onSettled: (run: WorkflowRun) => void;
  /** Called when a run's change could not be committed: the run cannot go on from memory. */
  onLost: (run: WorkflowRun) => void;
}

/** Transient store errors are retried (with backoff) this many times before a run is given up. */
const MAX_COMMIT_ATTEMPTS = 50;

export class Committer {
  readonly #o: CommitterOptions;
  readonly #soon = new Set<WorkflowRun>();
  #soonArmed = false;
  #busy = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(options: CommitterOptions) {
    this.#o = options;
  }

  busy(delta: 1 | -1): void {
    this.#busy += delta;
    if (this.#busy === 0 && this.#idleWaiters.length) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  onIdle(): Promise<void> {
    if (this.#busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Commits after `startedFlushMs` unless something commits the run first. Not counted by onIdle:
   * while the change is unflushed its step is still running, and the step's completion commits it.
   */
  persistSoon(run: WorkflowRun): void {
    this.#soon.add(run);
    if (this.#soonArmed) return;
    this.#soonArmed = true;
    setTimeout(() => {
      this.#soonArmed = false;
      for (const r of this.#takeSoon()) {
        this.persist(r).catch((error) =>
          this.#o.logger.error("commit failed", { workflow_id: r.id, error: String(error) }),
        );
      }
    }, this.#o.startedFlushMs);
  }

  /** Writes every change still waiting for its delayed flush (on close). */
  async flushPending(): Promise<void> {
    await Promise.allSettled(this.#takeSoon().map((run) => this.persist(run)));
  }

  async persist(run: WorkflowRun): Promise<void> {
    if (!run.hasChanges()) return;
    const { store, logger, clock } = this.#o;
    let change = run.takeChange();
    this.busy(1);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await store.commit(change);
          break;
        } catch (error) {
          if (this.#o.isClosing() || attempt >= MAX_COMMIT_ATTEMPTS || !isTransient(error)) {
            logger.error("commit failed; the workflow stops here", { workflow_id: run.id, error: String(error) });
            this.#o.onLost(run);
            throw error;
          }
          logger.warn("commit failed, retrying", { workflow_id: run.id, attempt, error: String(error) });
          await new Promise<void>((r) => clock.setTimer(clock.now() + Math.min(5000, 50 * 2 ** attempt), r));
          // The rows are re-read from memory: a later commit may already have written newer ones.
          change = run.refreshChange(change);
        }
      }
      this.emit(run.releaseEvents(change.events));
      if (run.isSettled()) this.#o.onSettled(run);
    } finally {
      this.busy(-1);
    }
  }

  emit(events: EventRecord[]): void {
    const { events: emitter, logger } = this.#o;
    for (const e of events) {
      safeEmit(emitter, logger, e.type as EngineEventType, e as never);
      safeEmit(emitter, logger, "event", e as EventRecord<EngineEventType>);
    }
  }

  #takeSoon(): WorkflowRun[] {
    const runs = [...this.#soon];
    this.#soon.clear();
    return runs;
  }
}

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "store_busy" || code === "store_full";
}
