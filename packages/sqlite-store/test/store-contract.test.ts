import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreContract } from "@tandem/core/store-contract";
import { afterAll } from "vitest";
import { SqliteStore } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "tandem-contract-"));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract("SqliteStore", () => new SqliteStore({ path: join(dir, `store-${n++}.db`) }));
