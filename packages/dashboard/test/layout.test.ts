import { describe, expect, it } from "vitest";
import { edgePath, layoutDag, NODE_HEIGHT, NODE_WIDTH } from "../src/lib/layout";

describe("layoutDag", () => {
  it("draws each depends_on as an edge from the dependency to the dependent, left to right", () => {
    const layout = layoutDag([
      { id: "s1", depends_on: [] },
      { id: "a", depends_on: ["s1"] },
      { id: "b", depends_on: ["s1"] },
      { id: "join", depends_on: ["a", "b"] },
    ]);
    const at = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(layout.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(["a->join", "b->join", "s1->a", "s1->b"]);
    expect(at.get("a")?.x).toBeGreaterThan(at.get("s1")?.x ?? Infinity);
    expect(at.get("join")?.x).toBeGreaterThan(at.get("a")?.x ?? Infinity);
    // Parallel branches share a column and do not overlap.
    expect(at.get("a")?.x).toBe(at.get("b")?.x);
    expect(Math.abs((at.get("a")?.y ?? 0) - (at.get("b")?.y ?? 0))).toBeGreaterThanOrEqual(NODE_HEIGHT);
    for (const n of layout.nodes) {
      expect(n.width).toBe(NODE_WIDTH);
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
    }
    for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it("leaves out dependencies that name no step (a draft the server will refuse)", () => {
    const layout = layoutDag([{ id: "a", depends_on: ["ghost", "a"] }]);
    expect(layout.nodes.map((n) => n.id)).toEqual(["a"]);
    expect(layout.edges).toEqual([]);
  });
});

describe("edgePath", () => {
  it("starts at the first point and ends at the last", () => {
    const d = edgePath([
      { x: 0, y: 0 },
      { x: 10, y: 5 },
      { x: 20, y: 5 },
    ]);
    expect(d.startsWith("M0,0")).toBe(true);
    expect(d.endsWith("L20,5")).toBe(true);
    expect(edgePath([])).toBe("");
  });
});
