/**
 * A manual clock for tests: time moves only when the test says so, and timers fire in time order
 * with the promises they start allowed to settle in between, so engine work triggered by one
 * timer completes before the next timer fires. No real sleeping, no `vi.useFakeTimers()`.
 * @module
 */
import type { Clock } from "../scheduler/clock.js";

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

export interface FakeClockOptions {
  /** Macrotask turns (`setImmediate`) awaited after each fired timer and after each time change. @default 5 */
  settleTurns?: number;
  /** Upper bound of timers fired by one `advance*`/`runAll` call, to catch timers that re-arm forever. @default 100_000 */
  maxFirings?: number;
}

const DEFAULT_START = Date.parse("2026-01-01T00:00:00.000Z");

/**
 * `Clock` whose time only moves through {@link FakeClock.advance}, {@link FakeClock.advanceTo},
 * {@link FakeClock.jumpTo} or {@link FakeClock.runAll}.
 * @example
 * const clock = new FakeClock("2026-03-08T06:00:00Z");
 * const engine = createEngine({ clock });
 * await clock.advance(60_000); // fires every timer due in the next minute, in order
 */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, PendingTimer>();
  readonly #settleTurns: number;
  readonly #maxFirings: number;

  /** @param start epoch ms, a Date or an ISO string. @default 2026-01-01T00:00:00Z */
  constructor(start: number | Date | string = DEFAULT_START, options: FakeClockOptions = {}) {
    this.#now = toMs(start);
    this.#settleTurns = options.settleTurns ?? 5;
    this.#maxFirings = options.maxFirings ?? 100_000;
  }

  now(): number {
    return this.#now;
  }

  setTimer(at: number, fn: () => void): () => void {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at, fn });
    return () => {
      this.#timers.delete(id);
    };
  }

  /** Timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Epoch ms of the earliest pending timer, or null when none is pending. */
  nextTimerAt(): number | null {
    return this.#earliest()?.at ?? null;
  }

  /** Moves time forward by `ms`, firing every timer due on the way at its own time. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(this.#now + ms);
  }

  /**
   * Moves time forward to `at`, firing due timers in time order (each with `now()` equal to its
   * due time) and letting promises settle after each one. Timers set on the way fire too if due.
   */
  async advanceTo(at: number | Date | string): Promise<void> {
    const target = toMs(at);
    if (target < this.#now) throw new RangeError(`FakeClock cannot go back from ${this.#now} to ${target}; use jumpTo`);
    await this.settle();
    let fired = 0;
    for (;;) {
      const next = this.#earliest();
      if (!next || next.at > target) break;
      this.#checkBudget(++fired);
      this.#now = Math.max(this.#now, next.at);
      this.#fire(next);
      await this.settle();
    }
    this.#now = target;
    await this.settle();
    // Work done at `target` may have armed timers due at `target` itself.
    for (let next = this.#earliest(); next && next.at <= target; next = this.#earliest()) {
      this.#checkBudget(++fired);
      this.#fire(next);
      await this.settle();
    }
  }

  /**
   * Sets the time to `at` at once (a laptop waking up, an NTP correction, a clock set backwards),
   * then fires every overdue timer with `now()` already at the new time — as Node does after a sleep.
   */
  async jumpTo(at: number | Date | string): Promise<void> {
    this.#now = toMs(at);
    await this.advanceTo(this.#now);
  }

  /** Fires every pending timer, including ones armed meanwhile, until none is left. */
  async runAll(): Promise<void> {
    await this.settle();
    let fired = 0;
    for (let next = this.#earliest(); next; next = this.#earliest()) {
      this.#checkBudget(++fired);
      this.#now = Math.max(this.#now, next.at);
      this.#fire(next);
      await this.settle();
    }
  }

  /** Lets pending promise chains and I/O callbacks run (a few macrotask turns), without moving time. */
  async settle(): Promise<void> {
    for (let i = 0; i < this.#settleTurns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  #earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers.values())
      if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    return best;
  }

  #fire(timer: PendingTimer): void {
    this.#timers.delete(timer.id);
    timer.fn();
  }

  #checkBudget(fired: number): void {
    if (fired > this.#maxFirings) {
      throw new Error(`FakeClock fired more than ${this.#maxFirings} timers in one call; a timer keeps re-arming`);
    }
  }
}

function toMs(value: number | Date | string): number {
  const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`FakeClock: not a valid time: ${String(value)}`);
  return ms;
}
