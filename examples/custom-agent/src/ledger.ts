/**
 * A tiny durable ledger: a JSON file mapping each idempotency key to the note saved under it.
 * @module
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export type Note = { title: string; body: string; saved_at: string };

/** The ledger in memory, loaded from `path`; `save()` writes it back (temp file, then rename). */
export class Ledger extends Map<string, Note> {
  constructor(readonly path: string) {
    super(existsSync(path) ? Object.entries(JSON.parse(readFileSync(path, "utf8")) as Record<string, Note>) : []);
  }
  save(): void {
    writeFileSync(`${this.path}.tmp`, JSON.stringify(Object.fromEntries(this), null, 2));
    renameSync(`${this.path}.tmp`, this.path);
  }
}
