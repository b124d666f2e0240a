import { describe, expect, it } from "vitest";
import { makeStep, makeWorkflow } from "../testing/store-fixtures.js";
import { MemoryStore } from "./memory-store.js";

describe("MemoryStore read copies", () => {
  it("copy plain data deeply and non-plain values (a Date) faithfully", async () => {
    const store = new MemoryStore();
    const when = new Date(Date.UTC(2026, 0, 2));
    const result = { items: [{ title: "a", tags: ["x"] }], when, nothing: null };
    await store.createWorkflow(makeWorkflow("w1", { steps: [makeStep("s1", { status: "succeeded", result })] }), []);
    const read = await store.getWorkflow("w1");
    const got = read?.steps[0].result as typeof result;
    expect(got).toEqual(result);
    expect(got.when).toBeInstanceOf(Date);
    expect(got.when).not.toBe(when);
    (got.items[0].tags as string[]).push("mutated");
    got.items.push({ title: "b", tags: [] });
    const again = (await store.getWorkflow("w1"))?.steps[0].result as typeof result;
    expect(again.items).toEqual([{ title: "a", tags: ["x"] }]);
  });
});
