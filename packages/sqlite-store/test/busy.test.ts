import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { advanceChain, createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();
const betterSqlite = createRequire(import.meta.url).resolve("better-sqlite3");

/** A second process that takes the write lock, writes a row, and holds the lock until told to commit. */
function lockHolder(path: string): Promise<ChildProcess> {
  const script = `
    const Database = require(${JSON.stringify(betterSqlite)});
    const db = new Database(${JSON.stringify(path)});
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO sessions (id, updated_at, body) VALUES ('other', 'x', '{}')").run();
    process.stdout.write("locked\\n");
    process.stdin.on("data", () => { db.exec("COMMIT"); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}

describe("another process holding the write lock", () => {
  it("fails writes with a retryable store_busy after busyTimeoutMs, writing nothing, without freezing the loop", async () => {
    const store = openStore(join(dir, "busy.db"), { busyTimeoutMs: 300 });
    await createChain(store, "wf1", 3);
    const child = await lockHolder(store.path);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const error = await advanceChain(store, "wf1", 0, 3).then(
      () => undefined,
      (e: { code?: string; message?: string }) => e,
    );
    clearInterval(ticker);
    expect(error?.code).toBe("store_busy");
    expect(error?.message).toMatch(/Retry later/);
    expect(error?.message).not.toMatch(/^SQLITE_BUSY/);
    expect(ticks).toBeGreaterThan(3); // the event loop kept turning while the store waited
    // Reads still work under the other process's lock (WAL), and nothing was half written.
    const wf1 = await store.getWorkflow("wf1");
    expect(wf1?.steps.map((s) => s.status)).toEqual(["pending", "pending", "pending"]);
    expect((await store.listEvents("wf1")).length).toBe(1);
    child.stdin!.write("commit\n");
    await new Promise((resolve) => child.once("exit", resolve));
    await advanceChain(store, "wf1", 0, 3);
    expect((await store.getWorkflow("wf1"))?.steps[0]?.status).toBe("succeeded");
    expect(await store.getSession("other")).toEqual({}); // the other process committed its own write
    await store.close();
  });

  it("waits for a lock released within busyTimeoutMs, then writes", async () => {
    const store = openStore(join(dir, "wait.db"), { busyTimeoutMs: 10_000 });
    await createChain(store, "wf1", 3);
    const raw = new Database(store.path);
    raw.exec("BEGIN IMMEDIATE");
    setTimeout(() => raw.exec("COMMIT"), 100);
    await advanceChain(store, "wf1", 0, 3);
    expect((await store.getWorkflow("wf1"))?.steps[0]?.status).toBe("succeeded");
    raw.close();
    await store.close();
  });
});
