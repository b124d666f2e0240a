import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SqliteStore } from "../src/index.js";
import { advanceChain, createChain, openStore, tempDir } from "./helpers.js";

const dir = tempDir();

async function seeded(name: string): Promise<string> {
  const path = join(dir, name);
  const store = openStore(path);
  for (let w = 0; w < 20; w++) {
    await createChain(store, `wf${w}`, 20);
    for (let i = 0; i < 10; i++) await advanceChain(store, `wf${w}`, i, 20);
  }
  await store.close();
  return path;
}

function openError(path: string): { code?: string; message?: string } | undefined {
  let store: SqliteStore | undefined;
  try {
    store = openStore(path);
  } catch (error) {
    return error as { code?: string; message?: string };
  }
  void store.close();
  return undefined;
}

function flip(path: string, offsets: number[]): void {
  const bytes = readFileSync(path);
  for (const offset of offsets) bytes[offset] = (bytes[offset] ?? 0) ^ 0xff;
  writeFileSync(path, bytes);
}

describe("a damaged database file", () => {
  it("is refused with store_corrupt when it is not a database at all, and never replaced", () => {
    const path = join(dir, "garbage.db");
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const before = readFileSync(path);
    const error = openError(path);
    expect(error?.code).toBe("store_corrupt");
    expect(error?.message).toContain(path);
    expect(error?.message).toContain("left untouched");
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("is refused when its header is damaged", async () => {
    const path = await seeded("header.db");
    flip(path, [0, 1, 2, 3, 16, 17]);
    const before = readFileSync(path);
    expect(openError(path)?.code).toBe("store_corrupt");
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("is refused when b-tree pages are damaged (quick_check at open)", async () => {
    const path = await seeded("btree.db");
    const pageSize = 4096;
    const pages = statSync(path).size / pageSize;
    // Page headers of every other page: b-tree type byte, cell count, first freeblock.
    const offsets = [];
    for (let p = 2; p < pages; p += 2) offsets.push(p * pageSize, p * pageSize + 3, p * pageSize + 4);
    flip(path, offsets);
    const before = readFileSync(path);
    expect(openError(path)?.code).toBe("store_corrupt");
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("gives either good reads or store_corrupt, never another error, under random byte flips", async () => {
    const original = await seeded("random.db");
    const size = statSync(original).size;
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const codes = new Set<string>();
    // FLIP_TRIALS=1000 for a longer run.
    for (let trial = 0; trial < Number(process.env.FLIP_TRIALS ?? 25); trial++) {
      const path = join(dir, `random-${trial}.db`);
      copyFileSync(original, path);
      flip(
        path,
        Array.from({ length: 16 }, () => 100 + Math.floor(random() * (size - 100))),
      );
      const before = readFileSync(path);
      try {
        const store = openStore(path);
        try {
          let cursor: string | undefined;
          do {
            const page = await store.listWorkflows({ cursor, limit: 7 });
            for (const item of page.items) await store.getWorkflow(item.id);
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          codes.add("ok");
        } finally {
          await store.close();
        }
      } catch (error) {
        codes.add((error as { code?: string }).code ?? String(error));
      }
      expect(statSync(path).size).toBe(before.length);
    }
    expect([...codes].filter((c) => c !== "ok" && c !== "store_corrupt")).toEqual([]);
    expect(codes.has("store_corrupt")).toBe(true);
  });
});
