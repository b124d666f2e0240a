/**
 * Opens the SQLite history in the data directory.
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "@tandem/core";
import { type RetentionOptions, SqliteStore } from "@tandem/sqlite-store";

/** `dataDir/tandem.db`, created with its folder when missing; finished workflows kept within `retention`. */
export async function openStore(dataDir: string, retention: RetentionOptions = {}): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  return new SqliteStore({ path: join(dataDir, "tandem.db"), retention });
}
