import { type ChildProcess, spawn } from "node:child_process";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openStore, tempDir } from "./helpers.js";

const dir = tempDir();
const fixture = fileURLToPath(new URL("./fixtures/lease-holder.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));

function leaseHolder(path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=@tandem/source", "--import", "tsx", fixture, path], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`lease holder exited with ${code}`)));
  });
}

describe("executor lease: one executing engine per database file", () => {
  it("refuses a second engine in the same process until the first closes", async () => {
    const path = join(dir, "same.db");
    const a = openStore(path);
    const b = openStore(path);
    await a.acquireExecutorLease("engine-a");
    await a.acquireExecutorLease("engine-a"); // idempotent for its owner
    const error = await b.acquireExecutorLease("engine-b").then(
      () => undefined,
      (e: { code?: string; message?: string }) => e,
    );
    expect(error?.code).toBe("conflict");
    expect(error?.message).toContain(a.path);
    expect(error?.message).toContain("engine-a");
    expect(await b.listWorkflows()).toEqual({ items: [], nextCursor: null }); // it may still read
    await a.close();
    await b.acquireExecutorLease("engine-b");
    await b.close();
  });

  it("refuses while another process holds it, and takes over once that process is killed with SIGKILL", async () => {
    const path = join(dir, "child.db");
    await openStore(path).close();
    const child = await leaseHolder(path);
    const store = openStore(path);
    const error = await store.acquireExecutorLease("parent").then(
      () => undefined,
      (e: { code?: string; message?: string }) => e,
    );
    expect(error?.code).toBe("conflict");
    expect(error?.message).toContain(`pid ${child.pid}`);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    await store.acquireExecutorLease("parent");
    await store.close();
  });

  it("considers a holder whose heartbeat stopped longer than leaseTimeoutMs gone, even if its pid lives", async () => {
    const path = join(dir, "stale.db");
    const store = openStore(path, { leaseTimeoutMs: 5000 });
    const put = store.connection.prepare(
      "INSERT OR REPLACE INTO executor_lease VALUES ('executor', 'ghost', ?, ?, 0, ?)",
    );
    // pid 1 exists on every system; the heartbeat is what tells it is not an engine any more.
    put.run(1, hostname(), Date.now());
    await expect(store.acquireExecutorLease("me")).rejects.toMatchObject({ code: "conflict" });
    put.run(1, hostname(), Date.now() - 60_000);
    await store.acquireExecutorLease("me");
    await store.close();
  });
});
