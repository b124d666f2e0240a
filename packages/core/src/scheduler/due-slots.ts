/**
 * The slots of a schedule that came due between its cursor and now, with bounded work: a
 * per-second schedule after a week asleep must not walk 600,000 slots nor write a row for each.
 * @module
 */
import type { CronSpec } from "./cron-spec.js";
import { fireTimes } from "./next-fire-times.js";

/** Most due slots handled (and recorded) one by one per reconciliation. */
export const MAX_DUE_SLOTS = 1000;

export interface DueSlots {
  /** Slots `>= cursor` and `<= now` to plan with the catch-up policy, increasing. */
  due: number[];
  /**
   * Set when more than {@link MAX_DUE_SLOTS} slots came due: the oldest slots, recorded as missed
   * one by one, and `bulkAt`, the first slot after them, recorded as `missed_bulk` on behalf of
   * every slot up to the first of `due`.
   */
  overflow: { head: number[]; bulkAt: number } | null;
}

/**
 * Collects due slots. `cursor` is the first slot not yet handled; `tailKeep` is how many of the
 * newest slots the catch-up policy can use when there are too many to handle one by one.
 */
export function dueSlots(spec: CronSpec, zone: string, cursor: number, now: number, tailKeep: number): DueSlots {
  const head = take(spec, zone, cursor - 1, now, MAX_DUE_SLOTS + 2);
  if (head.length <= MAX_DUE_SLOTS) return { due: head, overflow: null };
  const recorded = head.slice(0, MAX_DUE_SLOTS);
  const bulkAt = head[MAX_DUE_SLOTS] as number;
  // The newest slots matter for `latest` and `all`: look back from now over a window that held
  // about MAX_DUE_SLOTS slots at the start, shrinking it if the tail is denser.
  let span = (recorded.at(-1) as number) - (recorded[0] as number);
  for (;;) {
    const from = Math.max(bulkAt, now - span);
    const tail = take(spec, zone, from, now, 4 * MAX_DUE_SLOTS);
    if (tail.length < 4 * MAX_DUE_SLOTS || span <= 1) {
      return { due: tail.slice(-Math.min(MAX_DUE_SLOTS, Math.max(1, tailKeep))), overflow: { head: recorded, bulkAt } };
    }
    span = Math.floor(span / 4);
  }
}

/** Up to `max` fire times in `(from, now]`. */
function take(spec: CronSpec, zone: string, from: number, now: number, max: number): number[] {
  const out: number[] = [];
  for (const at of fireTimes(spec, zone, from)) {
    if (at > now || out.length >= max) break;
    out.push(at);
  }
  return out;
}
