/**
 * What to do with the slots that came due since a schedule was last looked at: run some, record
 * the rest as skipped with a reason. Pure, so every policy is unit-tested without a clock.
 * @module
 */
import type { CatchUpPolicy } from "./types.js";

/** Why a slot did not run. Persisted in `FiringRecord.reason`. */
export type SkipReason = "missed" | "paused" | "catch_up_limit" | "overlap" | "missed_bulk" | "template_missing";

export interface CatchUpInput {
  /** Due slots (epoch ms), increasing, all `<= now`. */
  due: number[];
  now: number;
  policy: CatchUpPolicy;
  /** Most missed slots `all` runs. */
  limit: number;
  /** A slot at most this late counts as on time (its timer fired normally). */
  graceMs: number;
  /** Reason recorded for slots that were not run because nobody was there to run them. */
  missedReason: "missed" | "paused";
}

export interface CatchUpPlan {
  /** Slots to fire, increasing. */
  run: number[];
  /** Slots to record as skipped, increasing. */
  skip: { at: number; reason: SkipReason }[];
}

/**
 * Only the latest due slot can be on time; every earlier one was missed (the process slept, was
 * down, the clock jumped, or the schedule was paused) and follows the catch-up policy:
 * `skip` runs none of them, `latest` runs only the most recent due slot, `all` runs the most
 * recent `limit` missed slots. Nothing is dropped without a skip record.
 */
export function planCatchUp(input: CatchUpInput): CatchUpPlan {
  const { due, now, policy, limit, graceMs, missedReason } = input;
  const latest = due.at(-1);
  if (latest === undefined) return { run: [], skip: [] };
  const onTime = now - latest <= graceMs ? latest : null;
  const missed = onTime === null ? due : due.slice(0, -1);
  const skipAll = (slots: number[], reason: SkipReason) => slots.map((at) => ({ at, reason }));
  switch (policy) {
    case "skip":
      return { run: onTime === null ? [] : [onTime], skip: skipAll(missed, missedReason) };
    case "latest":
      return { run: [latest], skip: skipAll(due.slice(0, -1), missedReason) };
    case "all": {
      const keep = Math.max(0, Math.min(limit, missed.length));
      const ran = missed.slice(missed.length - keep);
      return {
        run: onTime === null ? ran : [...ran, onTime],
        skip: skipAll(missed.slice(0, missed.length - keep), "catch_up_limit"),
      };
    }
  }
}
