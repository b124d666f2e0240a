/**
 * When a cron schedule fires, as real instants, with DST handled after Debian cron (interval jobs
 * are those whose hour field is a wildcard).
 *
 * cron-parser is used only as a wall-clock iterator (in UTC, where no DST exists): it yields the
 * wall times that match the fields, and this module maps each wall time to instants in the zone.
 * Left to itself, cron-parser 5 moves a wall-clock job in a DST gap a whole hour later instead of
 * to the jump (`30 1 * * *` in London fires at 02:30 BST, not 02:00), and drops the repeated
 * slots of interval jobs after a 30-minute shift (Lord Howe) — both corrected here.
 * @module
 */
import { CronExpressionParser } from "cron-parser";
import { ValidationError } from "../errors.js";
import { type CronSpec, isCronSpec, parseCron } from "./cron-spec.js";
import { canonicalTimeZone, offsetAt, resolveWall } from "./time-zone.js";

const DAY = 86_400_000;
/** Beyond this many years ahead we stop looking (`0 0 29 2 *` fires every 4 to 8 years). */
const HORIZON_MS = 100 * 365 * DAY;

/** Where the list of fire times stops: at an instant (inclusive), after a count, or both. */
export type FireTimesLimit = Date | number | { until?: Date | number; count?: number };

/**
 * The fire times of `cron` in `timezone` strictly after `from`, in increasing order.
 *
 * DST (after Debian cron, decided by the hour field alone): a job with specific hours is a
 * wall-clock job. Its slots in a skipped hour fire once, at the jump; in a repeated hour they fire
 * only at their first occurrence, so `*\/20 30 2 * * *` and `*\/30 2 * * *` lose no day and never
 * run twice. A job whose hour field is `*` or `*\/n` is an interval job and runs by elapsed time,
 * so `*\/15 * * * *` keeps real 15-minute intervals through both transitions.
 *
 * @param limit a `Date` (inclusive end), a number (how many), or `{ until, count }`.
 * @throws ValidationError for an invalid cron or an unknown time zone.
 * @example nextFireTimes("30 2 * * *", "America/New_York", new Date("2026-03-07T12:00Z"), 2)
 * // → [2026-03-08T07:00:00Z (03:00 EDT, right after the jump), 2026-03-09T06:30:00Z]
 */
export function nextFireTimes(cron: string, timezone: string, from: Date | number, limit: FireTimesLimit): Date[] {
  const parsed = parseCron(cron);
  const zone = canonicalTimeZone(timezone);
  const issues = [
    ...(isCronSpec(parsed) ? [] : [parsed]),
    ...(zone ? [] : [{ path: ["timezone"], code: "unknown_timezone", message: `unknown time zone "${timezone}"` }]),
  ];
  if (!isCronSpec(parsed) || !zone) throw new ValidationError(issues, undefined, "invalid_request");
  const { until, count } =
    limit instanceof Date || typeof limit === "number"
      ? limit instanceof Date
        ? { until: limit, count: undefined }
        : { until: undefined, count: limit }
      : limit;
  const untilMs = until === undefined ? Number.POSITIVE_INFINITY : +until;
  const max = count ?? Number.POSITIVE_INFINITY;
  if (untilMs === Number.POSITIVE_INFINITY && max === Number.POSITIVE_INFINITY) {
    throw new RangeError("nextFireTimes needs an end: `until`, `count` or both");
  }
  const out: Date[] = [];
  if (max <= 0) return out;
  for (const at of fireTimes(parsed, zone, +from)) {
    if (at > untilMs) break;
    out.push(new Date(at));
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Lazily yields the fire instants (epoch ms) of a parsed spec strictly after `from`, increasing.
 * `zone` must be a valid IANA name (see `canonicalTimeZone`).
 */
export function* fireTimes(spec: CronSpec, zone: string, from: number): Generator<number> {
  // The earliest wall time whose instant can be after `from`: a fall-back just after `from`
  // makes wall times before `from`'s own wall time happen again.
  const startWall = from + Math.min(offsetAt(from, zone), offsetAt(from + DAY, zone));
  const walls = CronExpressionParser.parse(spec.sixFields, {
    tz: "UTC",
    currentDate: Math.floor(startWall / 1000) * 1000 - 1000,
  });
  const end = from + HORIZON_MS;
  // Second occurrences of repeated wall times (interval jobs only) come after every first
  // occurrence in the repeated stretch, so they wait here until the stream passes them.
  const deferred: number[] = [];
  let last = from;
  for (;;) {
    let wall: number;
    try {
      wall = walls.next().getTime();
    } catch {
      break; // cron-parser gives up on expressions that never match again
    }
    if (wall > end) break;
    const r = resolveWall(wall, zone);
    let at: number | null;
    if (r.kind === "single") at = r.at;
    else if (r.kind === "repeated") {
      at = r.first;
      if (!spec.fixedTime) deferred.push(r.second);
    } else at = spec.fixedTime ? r.transition : null;
    if (at === null) continue;
    while (deferred.length > 0 && (deferred[0] as number) < at) {
      const d = deferred.shift() as number;
      if (d > last) {
        last = d;
        yield d;
      }
    }
    if (at > last) {
      last = at;
      yield at;
    }
  }
}
