import fc from "fast-check";
import { DirectedGraph } from "graphology";
import { hasCycle } from "graphology-dag";
import { describe, expect, it } from "vitest";
import { AncestorWalker, buildDagIndex, type DagStep, findCycle } from "./graph.js";

const s = (id: string, ...depends_on: string[]): DagStep => ({ id, depends_on });

/** Every consecutive pair of a named cycle must be a real edge: the later one depends on the earlier. */
function assertIsCycle(steps: readonly DagStep[], cycle: string[]): void {
  expect(cycle.length).toBeGreaterThanOrEqual(3);
  expect(cycle[0]).toBe(cycle[cycle.length - 1]);
  expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
  const deps = new Map<string, Set<string>>();
  for (const st of steps) if (!deps.has(st.id)) deps.set(st.id, new Set(st.depends_on));
  for (let k = 0; k + 1 < cycle.length; k++) expect(deps.get(cycle[k + 1])?.has(cycle[k])).toBe(true);
}

describe("buildDagIndex", () => {
  it("indexes ids in order with parent and child lists", () => {
    const index = buildDagIndex([s("a"), s("b", "a"), s("c", "a", "b")]);
    expect(index.ids).toEqual(["a", "b", "c"]);
    expect(index.indexOf.get("c")).toBe(2);
    expect(index.parents).toEqual([[], [0], [0, 1]]);
    expect(index.children).toEqual([[1, 2], [2], []]);
  });

  it("drops unknown dependencies and self-edges, keeps the first of duplicate ids", () => {
    const index = buildDagIndex([s("a", "a", "ghost"), s("b", "a"), s("a", "b")]);
    expect(index.ids).toEqual(["a", "b"]);
    expect(index.parents).toEqual([[], [0]]);
    expect(index.children).toEqual([[1], []]);
  });

  it("accepts dependencies declared before the step they name", () => {
    const index = buildDagIndex([s("late", "early"), s("early")]);
    expect(index.parents).toEqual([[1], []]);
    expect(index.children).toEqual([[], [0]]);
  });
});

describe("findCycle", () => {
  it("returns null for DAGs, including disconnected ones and the empty graph", () => {
    expect(findCycle(buildDagIndex([]))).toBeNull();
    expect(findCycle(buildDagIndex([s("a"), s("b", "a"), s("c", "a"), s("d", "b", "c"), s("x")]))).toBeNull();
  });

  it("names a 2-cycle as a -> b -> a", () => {
    expect(findCycle(buildDagIndex([s("a", "b"), s("b", "a")]))).toEqual(["a", "b", "a"]);
  });

  it("names a 3-cycle in execution order, leaving out steps that lead into or out of it", () => {
    const steps = [s("root"), s("a", "root", "c"), s("b", "a"), s("c", "b"), s("tail", "c")];
    expect(findCycle(buildDagIndex(steps))).toEqual(["a", "b", "c", "a"]);
  });

  it("names a cycle found past an acyclic prefix", () => {
    const steps = [s("p0"), s("p1", "p0"), s("x", "p1", "z"), s("y", "x"), s("z", "y")];
    const cycle = findCycle(buildDagIndex(steps));
    expect(cycle).not.toBeNull();
    assertIsCycle(steps, cycle!);
    expect(new Set(cycle)).toEqual(new Set(["x", "y", "z"]));
  });

  it("names a long cycle without blowing the stack", () => {
    const n = 20_000;
    const steps = Array.from({ length: n }, (_, i) => s(`s${i}`, `s${(i + n - 1) % n}`));
    const cycle = findCycle(buildDagIndex(steps));
    expect(cycle).toHaveLength(n + 1);
    assertIsCycle(steps, cycle!);
  });

  it("agrees with graphology-dag's hasCycle on random directed graphs, and names a real cycle", () => {
    const graphArb = fc
      .integer({ min: 1, max: 25 })
      .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 })));
    fc.assert(
      fc.property(graphArb, ([n, edges]) => {
        const deps: string[][] = Array.from({ length: n }, () => []);
        const graph = new DirectedGraph();
        for (let i = 0; i < n; i++) graph.addNode(`n${i}`);
        for (const [from, to] of edges) {
          // Self-loops are refused earlier by validation and dropped by buildDagIndex.
          if (from === to) continue;
          graph.mergeEdge(`n${from}`, `n${to}`);
          deps[to].push(`n${from}`);
        }
        const steps = deps.map((d, i) => s(`n${i}`, ...d));
        const cycle = findCycle(buildDagIndex(steps));
        expect(cycle === null).toBe(!hasCycle(graph));
        if (cycle) assertIsCycle(steps, cycle);
      }),
      { numRuns: 500 },
    );
  });
});

describe("AncestorWalker", () => {
  // a -> b -> d, a -> c -> d, d -> e; x is unrelated.
  const index = buildDagIndex([s("a"), s("b", "a"), s("c", "a"), s("d", "b", "c"), s("e", "d"), s("x")]);
  const id = (name: string) => index.indexOf.get(name)!;
  const ancestors = (walker: AncestorWalker, name: string) => {
    const seen: string[] = [];
    walker.walk(id(name), (a) => {
      seen.push(index.ids[a]);
      return false;
    });
    return seen;
  };

  it("visits every transitive ancestor exactly once, nearest first", () => {
    const walker = new AncestorWalker(index);
    expect(ancestors(walker, "e")).toEqual(["d", "b", "c", "a"]);
    expect(ancestors(walker, "d")).toEqual(["b", "c", "a"]);
    expect(ancestors(walker, "a")).toEqual([]);
    expect(ancestors(walker, "x")).toEqual([]);
  });

  it("stops as soon as the visitor returns true", () => {
    const walker = new AncestorWalker(index);
    const seen: string[] = [];
    walker.walk(id("e"), (a) => {
      seen.push(index.ids[a]);
      return index.ids[a] === "b";
    });
    expect(seen).toEqual(["d", "b"]);
  });

  it("answers isAncestor for transitive, direct, unrelated and reversed pairs", () => {
    const walker = new AncestorWalker(index);
    expect(walker.isAncestor(id("a"), id("e"))).toBe(true);
    expect(walker.isAncestor(id("d"), id("e"))).toBe(true);
    expect(walker.isAncestor(id("c"), id("b"))).toBe(false);
    expect(walker.isAncestor(id("e"), id("a"))).toBe(false);
    expect(walker.isAncestor(id("x"), id("e"))).toBe(false);
    expect(walker.isAncestor(id("e"), id("e"))).toBe(false);
  });

  it("is reusable: an earlier walk's marks do not leak into the next one", () => {
    const walker = new AncestorWalker(index);
    for (let round = 0; round < 3; round++) {
      expect(ancestors(walker, "e")).toEqual(["d", "b", "c", "a"]);
      expect(walker.isAncestor(id("a"), id("c"))).toBe(true);
    }
  });

  it("visits an ancestor named twice in depends_on only once", () => {
    const dup = buildDagIndex([s("a"), s("b", "a", "a"), s("c", "b", "a")]);
    const walker = new AncestorWalker(dup);
    const seen: string[] = [];
    walker.walk(dup.indexOf.get("b")!, (a) => {
      seen.push(dup.ids[a]);
      return false;
    });
    expect(seen).toEqual(["a"]);
    seen.length = 0;
    walker.walk(dup.indexOf.get("c")!, (a) => {
      seen.push(dup.ids[a]);
      return false;
    });
    expect(seen).toEqual(["b", "a"]);
  });

  it("matches a reference transitive closure on random DAGs", () => {
    const dagArb = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(
          fc.integer({ min: 1, max: Math.max(1, n - 1) }).chain((to) => fc.tuple(fc.nat(to - 1), fc.constant(to))),
          { maxLength: n * 2 },
        ),
      ),
    );
    fc.assert(
      fc.property(dagArb, ([n, edges]) => {
        const deps: string[][] = Array.from({ length: n }, () => []);
        // Distinct edges here; a repeated depends_on entry has its own test above.
        for (const [from, to] of edges) if (to < n && !deps[to].includes(`n${from}`)) deps[to].push(`n${from}`);
        const dag = buildDagIndex(deps.map((d, i) => s(`n${i}`, ...d)));
        // Closure by increasing index: parents always have smaller indices here.
        const closure = dag.parents.map(() => new Set<number>());
        for (let i = 0; i < n; i++)
          for (const p of dag.parents[i]) closure[i] = new Set([...closure[i], p, ...closure[p]]);
        const walker = new AncestorWalker(dag);
        for (let i = 0; i < n; i++) {
          const seen: number[] = [];
          walker.walk(i, (a) => {
            seen.push(a);
            return false;
          });
          expect(seen.length).toBe(new Set(seen).size);
          expect(new Set(seen)).toEqual(closure[i]);
          for (let j = 0; j < n; j++) expect(walker.isAncestor(j, i)).toBe(closure[i].has(j));
        }
      }),
      { numRuns: 100 },
    );
  });
});
