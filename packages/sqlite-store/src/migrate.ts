/**
 * Numbered SQL migrations (`migrations/0001_init.sql`, …) applied in one transaction, with the
 * schema version kept in `PRAGMA user_version`; a version may add a data step in JavaScript
 * (`migrations-data.ts`). A database newer than this code is refused.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { TandemError } from "@tandem/core";
import type { Database } from "better-sqlite3";
import { DATA_STEPS } from "./migrations-data.js";

/** The migrations folder ships next to `src/` and `dist/` (see `files` in package.json). */
const MIGRATIONS_DIR = new URL("../migrations/", import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations found on disk, in version order; versions must be 1, 2, 3, … without gaps. */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 4)), name, sql: readFileSync(new URL(name, dir), "utf8") }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} is out of sequence: expected version ${i + 1}`);
  });
  return migrations;
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = loadMigrations().length;

/**
 * Refuses, before anything is written, a database this code must not touch: one written by a
 * newer schema, or another application's database. @returns the current schema version.
 */
export function checkSchema(db: Database, path: string, latest: number = SCHEMA_VERSION): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > latest) {
    throw new TandemError(
      "invalid_state",
      `The database ${path} has schema version ${current}, but this @tandem/sqlite-store only knows versions up to ` +
        `${latest}. It was written by a newer release: upgrade @tandem/sqlite-store. The file was left untouched.`,
    );
  }
  if (current === 0) {
    const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").pluck().get();
    if (Number(tables) > 0) {
      throw new TandemError(
        "invalid_state",
        `The database ${path} holds tables but no Tandem schema version: it belongs to another application. ` +
          "Tandem will not write into it; choose another path.",
      );
    }
  }
  return current;
}

/** Brings the database to the latest schema, in one transaction. Call `checkSchema` first. */
export function migrate(db: Database, path: string, migrations: Migration[] = loadMigrations()): void {
  const latest = migrations.length;
  if (checkSchema(db, path, latest) === latest) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    // Another process may have migrated between the check and the lock.
    const current = checkSchema(db, path, latest);
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      DATA_STEPS[migration.version]?.(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
