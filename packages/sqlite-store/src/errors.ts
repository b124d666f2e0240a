/**
 * Turns better-sqlite3's `SqliteError`s into TandemErrors a user can act on. No raw `SQLITE_*`
 * error reaches the engine's callers.
 * @module
 */
import { isTandemError, TandemError } from "@tandem/core";

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

/** Whether `error` is SQLite's "another connection holds the lock" (`SQLITE_BUSY*`, `SQLITE_LOCKED*`). */
export function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/**
 * Errors of the environment (disk, locks, damaged file), as opposed to a refusal of one change:
 * they abort the whole group-commit batch instead of one change of it.
 */
export function isEnvironmental(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code === undefined) return false;
  return !code.startsWith("SQLITE_CONSTRAINT") && !code.startsWith("SQLITE_MISMATCH") && code !== "SQLITE_ERROR";
}

/** Maps an error thrown by better-sqlite3 (or by our own checks) to a TandemError. */
export function toStoreError(error: unknown, path: string): TandemError {
  if (isTandemError(error)) return error;
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === undefined) return new TandemError("internal_error", `SQLite store ${path}: ${detail}`, { cause: error });
  if (isBusy(error)) {
    return new TandemError(
      "store_busy",
      `The database ${path} is locked by another connection or process (${code}); nothing was written. Retry later.`,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_FULL")) {
    return new TandemError(
      "store_full",
      `The database ${path} cannot grow: the disk is full or the size limit is reached (${code}); nothing was written.`,
      { cause: error },
    );
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return corruptError(path, `${code}: ${detail}`, error);
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_PERM")) {
    return new TandemError("internal_error", `The database ${path} cannot be opened for writing (${code}): ${detail}`, {
      cause: error,
    });
  }
  return new TandemError("internal_error", `SQLite store ${path} failed (${code}): ${detail}`, { cause: error });
}

/** The file is damaged or not a database: say so, and promise not to touch it. */
export function corruptError(path: string, detail: string, cause?: unknown): TandemError {
  return new TandemError(
    "store_corrupt",
    `The database ${path} is damaged or is not a Tandem SQLite database (${detail}). ` +
      "It was left untouched: restore it from a backup or move it away to start empty.",
    { cause },
  );
}
