import { describe, expect, it } from "vitest";
import { newId } from "./ids.js";
import { ID_PATTERN } from "./workflow/schema.js";

describe("newId", () => {
  it("is a version 7 UUID that matches the id pattern", () => {
    const id = newId(Date.UTC(2026, 10, 28));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ID_PATTERN.test(id)).toBe(true);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 10, 28));
  });

  it("sorts in creation order, within one millisecond and when the clock steps back", () => {
    const t = Date.UTC(2027, 0, 1);
    const ids = [newId(t), newId(t), newId(t), newId(t + 1), newId(t - 5000), newId(t + 2)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("stays ordered past 4,096 ids in one millisecond", () => {
    const t = Date.UTC(2028, 0, 1);
    const ids = Array.from({ length: 5000 }, () => newId(t));
    expect([...ids].sort()).toEqual(ids);
  });
});
