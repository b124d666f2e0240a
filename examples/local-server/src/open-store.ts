/**
 * Opens the SQLite history in the data directory.
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "@tandem/core";
import { SqliteStore } from "@tandem/sqlite-store";

/** `dataDir/tandem.db`, created with its folder when missing. */
export async function openStore(dataDir: string): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  return new SqliteStore({ path: join(dataDir, "tandem.db") });
}
