/**
 * Parsing of a schedule's cron expression into what the fire-time computation needs: the
 * six-field form cron-parser iterates over, and whether the job runs at fixed hours of the day
 * (Debian's DST rules for "jobs at a particular time" apply only to those).
 * @module
 */
import { CronExpressionParser } from "cron-parser";
import type { ValidationIssue } from "../errors.js";

/** A parsed cron expression. */
export interface CronSpec {
  /** The expression as written (trimmed). */
  readonly source: string;
  /** Six fields, seconds first (`0` prepended to five-field expressions). */
  readonly sixFields: string;
  /** Whether the expression has its own seconds field (resolution 1 s instead of 1 min). */
  readonly hasSeconds: boolean;
  /**
   * True when the hour field does not start with `*` (neither `*` nor a step over all hours such
   * as `*\/2`): a wall-clock job, whose slots in a DST gap run once right after the jump and whose
   * slots in a repeated hour run only at their first occurrence. Only the hour field decides, so
   * `*\/20 30 2 * * *` and `*\/30 2 * * *` are wall-clock jobs too. Jobs with a wildcard hour are
   * interval jobs and run by elapsed time (both copies of a repeated hour, nothing in a gap).
   */
  readonly fixedTime: boolean;
}

/** The usual nicknames, as five-field expressions. `@hourly` is an interval job (wildcard hour). */
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** Parses `cron`, or returns the issue (code `invalid_cron` or `never_fires`) at path `["cron"]`. */
export function parseCron(cron: string): CronSpec | ValidationIssue {
  const source = cron.trim();
  const expanded = MACROS[source.toLowerCase()] ?? source;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return issue("invalid_cron", `expected 5 fields (or 6 with seconds first), got ${fields.length}: "${source}"`);
  }
  const six = fields.length === 5 ? ["0", ...fields] : fields;
  const sixFields = six.join(" ");
  try {
    CronExpressionParser.parse(sixFields, { tz: "UTC", currentDate: 0 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // cron-parser refuses a day of month that no listed month has (`0 0 30 2 *`) at parse time.
    if (/day of month/i.test(message)) return issue("never_fires", `"${source}" never fires: ${message}`);
    return issue("invalid_cron", `"${source}" is not a valid cron expression: ${message}`);
  }
  const fixedTime = six[2]?.startsWith("*") !== true;
  return { source, sixFields, hasSeconds: fields.length === 6, fixedTime };
}

function issue(code: string, message: string): ValidationIssue {
  return { path: ["cron"], code, message };
}

/** Type guard separating a parse result from its issue. */
export function isCronSpec(value: CronSpec | ValidationIssue): value is CronSpec {
  return "sixFields" in value;
}
