import { copyFileSync, existsSync, mkdirSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { advanceChain, assertConsistentChain, createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();
const STEPS = 40;

describe("power loss (WAL cut at random offsets)", () => {
  it("reopens a copy of db + truncated WAL intact, with a consistent prefix of the run", async () => {
    const path = join(dir, "live.db");
    const store = openStore(path);
    store.connection.pragma("wal_autocheckpoint = 0"); // keep every commit in the WAL
    await createChain(store, "wf1", STEPS);
    expect(store.checkpoint("TRUNCATE")).toBe(true); // the base file holds the created workflow
    const snapshots: string[] = [];
    for (let i = 0; i < STEPS; i++) {
      await advanceChain(store, "wf1", i, STEPS);
      if (i % 8 === 7) {
        // A copy taken mid-run, as a disk would hold it when the power goes.
        const snap = join(dir, `snap-${i}`);
        mkdirSync(snap);
        copyFileSync(path, join(snap, "db"));
        copyFileSync(`${path}-wal`, join(snap, "wal"));
        snapshots.push(snap);
      }
    }
    await store.close();

    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const seen = new Set<number>();
    let trial = 0;
    for (const snap of snapshots) {
      const walSize = statSync(join(snap, "wal")).size;
      const cuts = [0, 31, walSize, ...Array.from({ length: 6 }, () => Math.floor(random() * walSize))];
      for (const cut of cuts) {
        const copy = join(dir, `trial-${trial++}.db`);
        copyFileSync(join(snap, "db"), copy);
        copyFileSync(join(snap, "wal"), `${copy}-wal`);
        truncateSync(`${copy}-wal`, cut);
        const reopened = openStore(copy);
        expect(reopened.connection.pragma("integrity_check", { simple: true })).toBe("ok");
        const record = await reopened.getWorkflow("wf1");
        expect(record).not.toBeNull();
        const succeeded = assertConsistentChain(record!);
        seen.add(succeeded);
        // Each step commit wrote its step rows and two events in one transaction: all or nothing.
        const events = await reopened.listEvents("wf1");
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 1 + 2 * succeeded }, (_, i) => i + 1));
        const running = record!.steps.filter((s) => s.status === "running").length;
        expect(running).toBe(succeeded === 0 || succeeded === STEPS ? 0 : 1);
        const [summary] = (await reopened.listWorkflows()).items;
        expect(summary?.step_counts.succeeded).toBe(succeeded);
        await reopened.close();
        expect(existsSync(copy)).toBe(true);
      }
    }
    // The cuts landed at different points of the run, not only at its ends.
    expect(seen.size).toBeGreaterThan(3);
  });
});
