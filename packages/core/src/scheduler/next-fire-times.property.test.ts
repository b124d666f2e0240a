/**
 * nextFireTimes against a brute-force oracle: walk every minute of three days around real DST
 * transitions, read the local wall time with Intl, match minute and hour with a tiny matcher of
 * its own, and apply Debian's rules by hand (an interval job is one with a wildcard hour field).
 * Independent of cron-parser and of resolveWall.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextFireTimes } from "./next-fire-times.js";
import { offsetAt } from "./time-zone.js";

const MIN = 60_000;
const DAY = 86_400_000;
const ZONES = [
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Pacific/Chatham",
  "America/St_Johns",
  "Antarctica/Troll",
  "Asia/Kolkata",
];

/** Instants (whole minutes) in 2026 where the zone's offset changes. */
function transitions(zone: string): number[] {
  const out: number[] = [];
  const start = Date.parse("2026-01-01T00:00:00Z");
  const step = 6 * 3_600_000;
  for (let t = start; t < start + 365 * DAY; t += step) {
    if (offsetAt(t, zone) === offsetAt(t + step, zone)) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > MIN) {
      const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
      if (offsetAt(mid, zone) === offsetAt(t, zone)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

/** Values of one cron field among `*`, `n`, `a,b`, `a-b`, `*\/n`. */
function fieldValues(field: string, max: number): Set<number> {
  const all = Array.from({ length: max + 1 }, (_, i) => i);
  if (field === "*") return new Set(all);
  if (field.startsWith("*/")) return new Set(all.filter((v) => v % Number(field.slice(2)) === 0));
  if (field.includes("-")) {
    const [a, b] = field.split("-").map(Number) as [number, number];
    return new Set(all.filter((v) => v >= a && v <= b));
  }
  return new Set(field.split(",").map(Number));
}
const WINDOWS = ZONES.flatMap((zone) => {
  const list = transitions(zone);
  return list.length > 0 ? list.map((at) => ({ zone, at })) : [{ zone, at: Date.parse("2026-06-01T12:00:00Z") }];
});

function oracle(minute: string, hour: string, zone: string, from: number, until: number): number[] {
  // Wall-clock job unless the hour field is a wildcard (`*`, `*\/n`); the minute field does not count.
  const fixed = !hour.startsWith("*");
  const minutes = fieldValues(minute, 59);
  const hours = fieldValues(hour, 23);
  const matches = (wall: number) => {
    const d = new Date(wall);
    return minutes.has(d.getUTCMinutes()) && hours.has(d.getUTCHours());
  };
  const byWall = new Map<number, number[]>();
  const walls: number[] = [];
  for (let t = from; t <= until; t += MIN) {
    const wall = t + offsetAt(t, zone);
    walls.push(wall);
    const list = byWall.get(wall) ?? [];
    list.push(t);
    byWall.set(wall, list);
  }
  const result = new Set<number>();
  const lowWall = Math.min(...walls);
  const highWall = Math.max(...walls);
  for (let wall = lowWall; wall <= highWall; wall += MIN) {
    if (!matches(wall)) continue;
    const instants = byWall.get(wall);
    if (instants) {
      for (const t of fixed ? instants.slice(0, 1) : instants) result.add(t);
    } else if (fixed) {
      // A skipped wall time: the first instant whose wall time is later (the jump).
      const i = walls.findIndex((w) => w > wall);
      if (i > 0 && walls[i - 1]! < wall) result.add(from + i * MIN);
    }
  }
  return [...result].sort((a, b) => a - b);
}

const minuteField = fc.constantFrom("0", "30", "45", "15,45", "*/15", "*/20", "5-10", "*");
const hourField = fc.constantFrom("*", "0", "1", "2", "3", "23", "1,2", "*/2", "0-3", "22-23");

describe("nextFireTimes matches a brute-force oracle around every 2026 transition", () => {
  it("in 8 zones (45- and 30-minute offsets, 30-minute and 2-hour shifts, midnight shifts)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...WINDOWS), minuteField, hourField, ({ zone, at }, minute, hour) => {
        const cron = `${minute} ${hour} * * *`;
        const from = at - 36 * 3_600_000;
        const until = at + 36 * 3_600_000;
        const expected = oracle(minute, hour, zone, from, until);
        const actual = nextFireTimes(cron, zone, from, new Date(until)).map((d) => d.getTime());
        // The oracle cannot see wall times whose instants fall outside the window: compare the middle.
        const inner = (t: number) => t > from + 6 * 3_600_000 && t < until - 6 * 3_600_000;
        expect(actual.filter(inner), `${cron} in ${zone} around ${new Date(at).toISOString()}`).toEqual(
          expected.filter(inner),
        );
      }),
      { numRuns: 60, seed: 20_260_308 },
    );
  }, 60_000);
});
