/**
 * Data steps of migrations that SQL alone cannot do safely, run right after the version's SQL file
 * inside the same transaction.
 * @module
 */
import type { Database } from "better-sqlite3";

/**
 * Fields of a stored step that are run state, not spec, as version 3 wrote them. Listed here
 * rather than taken from json.ts on purpose: a migration reads the data of its own version.
 */
const STATE_KEYS = new Set([
  "status",
  "resolved_args",
  "result",
  "error",
  "attempts",
  "started_at",
  "finished_at",
  "in_doubt",
]);

const CHUNK = 500;

/**
 * Version 4: each step row is split into its spec (`steps.body`) and a `step_state` row. Until
 * now `state`, when set, held the run state; otherwise `body` held it. Parsed with JSON.parse, so
 * any value the store ever accepted moves over, however deeply nested.
 */
function splitStepState(db: Database): void {
  const read = db.prepare("SELECT seq, status, body, state FROM steps WHERE seq > ? ORDER BY seq LIMIT ?");
  const putState = db.prepare("INSERT INTO step_state (seq, status, state) VALUES (?, ?, ?)");
  const putBody = db.prepare("UPDATE steps SET body = ? WHERE seq = ?");
  let after = 0;
  for (;;) {
    // In chunks: a connection cannot write while a statement is still iterating.
    const rows = read.all(after, CHUNK) as { seq: number; status: string; body: string; state: string | null }[];
    for (const row of rows) {
      const whole = { ...JSON.parse(row.body), ...(row.state === null ? {} : JSON.parse(row.state)) };
      const spec: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(whole)) if (!STATE_KEYS.has(key)) spec[key] = value;
      const state = {
        resolved_args: whole.resolved_args ?? null,
        result: whole.result ?? null,
        error: whole.error ?? null,
        attempts: whole.attempts ?? 0,
        started_at: whole.started_at ?? null,
        finished_at: whole.finished_at ?? null,
        in_doubt: whole.in_doubt ?? false,
      };
      putState.run(row.seq, row.status, JSON.stringify(state));
      putBody.run(JSON.stringify(spec), row.seq);
    }
    if (rows.length < CHUNK) break;
    after = rows[rows.length - 1]!.seq;
  }
  db.exec("ALTER TABLE steps DROP COLUMN state; ALTER TABLE steps DROP COLUMN status;");
}

export const DATA_STEPS: Readonly<Record<number, (db: Database) => void>> = { 4: splitStepState };
