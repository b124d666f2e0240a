import { copyFileSync, mkdirSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { createEngine, defineAgent, STEP_STATUSES, type StepInput } from "@tandem/core";
import { describe, expect, it } from "vitest";
import { openStore, tempDir } from "./helpers.js";

const dir = tempDir("tandem-power-engine-");

/** Three layers of four steps, each depending on every step of the layer before. */
const LATTICE: StepInput[] = [0, 1, 2].flatMap((layer) =>
  [0, 1, 2, 3].map((k) => ({
    id: `l${layer}_${k}`,
    agent: "t",
    action: "RUN",
    depends_on: layer === 0 ? [] : [0, 1, 2, 3].map((j) => `l${layer - 1}_${j}`),
  })),
);

describe("power loss while the engine runs (group commits cut at random WAL offsets)", () => {
  it("every cut copy opens intact, with succeeded steps only after their dependencies", async () => {
    const path = join(dir, "live.db");
    const store = openStore(path);
    store.connection.pragma("wal_autocheckpoint = 0");
    const snapshots: string[] = [];
    let calls = 0;
    const agent = defineAgent({
      name: "t",
      actions: {
        RUN: {
          description: "copies the database files now and then, as a disk would hold them when the power goes",
          async run() {
            if (++calls % 17 === 0) {
              const snap = join(dir, `snap-${snapshots.length}`);
              mkdirSync(snap);
              copyFileSync(path, join(snap, "db"));
              copyFileSync(`${path}-wal`, join(snap, "wal"));
              snapshots.push(snap);
            }
            await new Promise((resolve) => setImmediate(resolve));
            return { ok: true };
          },
        },
      },
    });
    const engine = createEngine({ store, agents: [agent], concurrency: 6 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => engine.createWorkflow(LATTICE, { id: `wf${i}` })));
    await engine.onIdle();
    await engine.close();
    expect(snapshots.length).toBeGreaterThan(5);

    let seed = 99;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let trial = 0;
    let stepsSeen = 0;
    for (const snap of snapshots) {
      const walSize = statSync(join(snap, "wal")).size;
      for (const cut of [walSize, ...Array.from({ length: 3 }, () => Math.floor(random() * walSize))]) {
        const copy = join(dir, `trial-${trial++}.db`);
        copyFileSync(join(snap, "db"), copy);
        copyFileSync(join(snap, "wal"), `${copy}-wal`);
        truncateSync(`${copy}-wal`, cut);
        const reopened = openStore(copy);
        expect(reopened.connection.pragma("integrity_check", { simple: true })).toBe("ok");
        for (const summary of (await reopened.listWorkflows({ limit: 500 })).items) {
          const record = (await reopened.getWorkflow(summary.id))!;
          const status = new Map(record.steps.map((s) => [s.id, s.status]));
          for (const step of record.steps) {
            if (step.status !== "succeeded") continue;
            stepsSeen++;
            for (const parent of step.depends_on)
              expect(status.get(parent), `${summary.id}/${step.id}`).toBe("succeeded");
          }
          const counts = Object.fromEntries(STEP_STATUSES.map((s) => [s, 0]));
          for (const step of record.steps) counts[step.status]++;
          expect(summary.step_counts).toEqual(counts);
          const seqs = (await reopened.listEvents(summary.id)).map((e) => e.seq);
          expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        }
        await reopened.close();
      }
    }
    expect(stepsSeen).toBeGreaterThan(0);
  });
});
