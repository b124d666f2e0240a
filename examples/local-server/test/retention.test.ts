/** History retention, configured from the environment and applied to the real SQLite file. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "@tandem/core";
import type { SqliteStore } from "@tandem/sqlite-store";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { openStore } from "../src/open-store.js";

describe("retention", () => {
  it("reads TANDEM_RETENTION_DAYS and TANDEM_RETENTION_COUNT, and refuses nonsense", () => {
    expect(loadConfig({}).retention).toEqual({ maxAgeMs: undefined, maxCount: undefined });
    expect(loadConfig({ TANDEM_RETENTION_DAYS: "30", TANDEM_RETENTION_COUNT: "1000" }).retention).toEqual({
      maxAgeMs: 30 * 86_400_000,
      maxCount: 1000,
    });
    expect(() => loadConfig({ TANDEM_RETENTION_DAYS: "0" })).toThrow(/TANDEM_RETENTION_DAYS/);
    expect(() => loadConfig({ TANDEM_RETENTION_COUNT: "ten" })).toThrow(/TANDEM_RETENTION_COUNT/);
  });

  it("keeps only the newest finished workflows on disk when a count is set", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tandem-retention-"));
    const { retention } = loadConfig({ TANDEM_RETENTION_COUNT: "2" });
    const store = (await openStore(dir, retention)) as SqliteStore;
    const engine = createEngine({
      store,
      agents: [{ name: "util", actions: { NOOP: { description: "", run: () => null } } }],
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await engine.createWorkflow([{ id: "a", agent: "util", action: "NOOP" }])).id);
      await engine.onIdle();
    }
    const waiting = await engine.createWorkflow({ steps: [{ id: "a", agent: "util", action: "NOOP" }], start: false });
    await store.applyRetention();
    const left = (await engine.listWorkflows()).items.map((w) => w.id);
    // The two newest finished ones stay, and an unfinished one is never removed.
    expect(left.sort()).toEqual([ids[2], ids[3], waiting.id].sort());
    await engine.close();
  });
});
