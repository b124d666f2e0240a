/**
 * A content hash of everything that shapes the built dashboard. The build writes it into
 * `public/build-info.json`; a test recomputes it to catch a committed bundle that is older than its source.
 * @module
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const INPUTS = ["src", "index.html", "vite.config.ts", "package.json", "scripts/source-hash.ts"];

function listFiles(root: string, entry: string): string[] {
  const full = join(root, entry);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full)
    .flatMap((name) => listFiles(root, join(entry, name)))
    .filter((file) => !file.endsWith(".test.ts"));
}

/** Hashes the dashboard's inputs below `root` (the package folder); path separators are normalised. */
export function sourceHash(root: string): string {
  const hash = createHash("sha256");
  const files = INPUTS.flatMap((entry) => listFiles(root, entry)).sort();
  for (const file of files) {
    // Line endings normalised so a Windows checkout hashes the same as CI.
    const text = readFileSync(file, "utf8").replace(/\r\n/g, "\n");
    hash.update(relative(root, file).split("\\").join("/"));
    hash.update("\0");
    hash.update(text);
    hash.update("\0");
  }
  return hash.digest("hex");
}
