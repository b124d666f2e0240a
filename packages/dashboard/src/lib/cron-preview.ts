/**
 * The next fire times of a cron expression in a timezone, computed in the browser with cron-parser
 * (the same library the scheduler uses), so a person sees when a schedule will run before saving it.
 * @module
 */

/**
 * Next `count` fire times as ISO strings, or the reason for refusing, with the form field it is about
 * (so the page outlines the timezone, not the cron, when only the timezone is wrong).
 */
export type CronPreview = { ok: true; times: string[] } | { ok: false; field: "cron" | "timezone"; message: string };

/**
 * Loaded on demand: cron-parser brings luxon, which only the schedules page needs.
 * The server remains the judge: it may refuse what this accepts (for example a too-short interval).
 */
export async function previewCron(cron: string, timezone: string, count = 5, from = new Date()): Promise<CronPreview> {
  const expression = cron.trim();
  if (expression === "")
    return { ok: false, field: "cron", message: "Write a cron expression, for example 0 9 * * 1-5." };
  const fields = expression.split(/\s+/).length;
  if (fields < 5 || fields > 6) return { ok: false, field: "cron", message: `Expected 5 or 6 fields, got ${fields}.` };
  if (!isTimeZone(timezone)) return { ok: false, field: "timezone", message: `Unknown timezone "${timezone}".` };
  const { CronExpressionParser } = await import("cron-parser");
  try {
    const parsed = CronExpressionParser.parse(expression, { tz: timezone, currentDate: from, strict: false });
    const times: string[] = [];
    for (let i = 0; i < count && parsed.hasNext(); i++) {
      const iso = parsed.next().toISOString();
      if (iso) times.push(iso);
    }
    if (times.length === 0) return { ok: false, field: "cron", message: "This expression never fires." };
    return { ok: true, times };
  } catch (err) {
    return { ok: false, field: "cron", message: err instanceof Error ? err.message : String(err) };
  }
}

/** True when the runtime knows the IANA name (Intl throws a RangeError otherwise). */
export function isTimeZone(name: string): boolean {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
