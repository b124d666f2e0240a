/**
 * IANA time zone arithmetic on top of `Intl.DateTimeFormat` (no tz database of our own): the UTC
 * offset at an instant, and the instants at which a wall-clock time occurs — none in a DST gap,
 * two in a repeated hour.
 * @module
 */

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The canonical name of an IANA time zone (`"utc"` → `"UTC"`), or null when the runtime does
 * not know it. Offset strings such as `+05:00` are refused: they have no DST rules and are not IANA names.
 */
export function canonicalTimeZone(name: string): string | null {
  if (name.trim() === "" || /^[+-]/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (New York in winter: -5 h). Whole seconds. */
export function offsetAt(ms: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** Where a wall-clock time falls in a zone. Wall times are encoded as if they were UTC epoch ms. */
export type WallResolution =
  | { kind: "single"; at: number }
  | { kind: "repeated"; first: number; second: number }
  | { kind: "gap"; transition: number };

/**
 * The instants at which `wall` occurs in `timeZone`. Assumes at most one offset change within a
 * day on either side, which holds for every zone in today's tz database.
 */
export function resolveWall(wall: number, timeZone: string): WallResolution {
  const before = offsetAt(wall - 26 * HOUR, timeZone);
  const after = offsetAt(wall + 26 * HOUR, timeZone);
  if (before === after && offsetAt(wall - before, timeZone) === before) return { kind: "single", at: wall - before };
  const candidates = new Set([before, after, offsetAt(wall, timeZone)]);
  const instants = [...candidates]
    .filter((o) => offsetAt(wall - o, timeZone) === o)
    .map((o) => wall - o)
    .sort((a, b) => a - b);
  const first = instants[0];
  const last = instants.at(-1);
  if (first !== undefined && last !== undefined) {
    return first === last ? { kind: "single", at: first } : { kind: "repeated", first, second: last };
  }
  return {
    kind: "gap",
    transition: findTransition(wall - Math.max(before, after), wall - Math.min(before, after), timeZone),
  };
}

/** First instant (whole second) in `(lo, hi]` whose offset differs from the offset at `lo`. */
function findTransition(lo: number, hi: number, timeZone: string): number {
  const start = offsetAt(lo, timeZone);
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(mid * 1000, timeZone) === start) a = mid;
    else b = mid;
  }
  return b * 1000;
}
