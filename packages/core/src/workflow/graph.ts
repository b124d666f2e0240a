/**
 * The DAG as integer-indexed adjacency lists: built once per validation or run, so readiness is
 * tracked with in-degree counters and ancestor queries never rescan the whole workflow.
 * @module
 */

/**
 * Reusable work arrays for the synchronous graph passes: allocating fresh typed arrays for every
 * small workflow showed up as GC pressure. Callers own a slot only until they return.
 */
const buffers: Int32Array[] = [new Int32Array(64), new Int32Array(64)];
function scratch(slot: number, n: number): Int32Array {
  if (buffers[slot].length < n) buffers[slot] = new Int32Array(Math.max(n, buffers[slot].length * 2));
  return buffers[slot];
}

export interface DagStep {
  id: string;
  depends_on: readonly string[];
}

export interface DagIndex {
  ids: string[];
  indexOf: Map<string, number>;
  /** Per id: the position in the step list of its first occurrence. */
  first: number[];
  /** Indices of each step's dependencies (unknown ids left out). */
  parents: number[][];
  /** Indices of each step's dependents. */
  children: number[][];
}

/** What building the index found wrong, reported by step position `k` and `depends_on` position `d`. */
export interface DagProblems {
  duplicateId?(k: number): void;
  badDependency?(k: number, d: number, self: boolean): void;
}

/**
 * Builds adjacency lists in one pass over the dependencies. Duplicate ids keep their first
 * occurrence; unknown dependencies and self-dependencies are left out (and reported to `problems`).
 */
export function buildDagIndex(steps: readonly DagStep[], problems: DagProblems = {}): DagIndex {
  const ids: string[] = [];
  const first: number[] = [];
  const indexOf = new Map<string, number>();
  for (let k = 0; k < steps.length; k++) {
    const id = steps[k].id;
    if (indexOf.has(id)) {
      problems.duplicateId?.(k);
      continue;
    }
    indexOf.set(id, ids.length);
    ids.push(id);
    first.push(k);
  }
  // Arrays sized up front (dependencies per step, then dependents counted on the way): pushing
  // onto 2 × E growing arrays cost twice as much on a 100-edges-per-step lattice.
  const n = ids.length;
  const parents: number[][] = new Array(n);
  const childCount = scratch(0, n).fill(0, 0, n);
  // Last step that listed each parent: a dependency named twice is one edge.
  const lastChild = scratch(1, n).fill(-1, 0, n);
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k];
    const i = indexOf.get(s.id)!;
    // A duplicate's edges are not added, but its dependencies are still checked.
    const own: number[] | null = parents[i] === undefined ? new Array(s.depends_on.length) : null;
    let m = 0;
    const deps = s.depends_on;
    for (let d = 0; d < deps.length; d++) {
      const p = indexOf.get(deps[d]);
      if (p === undefined || deps[d] === s.id) {
        problems.badDependency?.(k, d, deps[d] === s.id);
        continue;
      }
      if (own === null || lastChild[p] === i) continue;
      lastChild[p] = i;
      own[m++] = p;
      childCount[p]++;
    }
    if (own !== null) {
      if (m !== own.length) own.length = m;
      parents[i] = own;
    }
  }
  const children: number[][] = new Array(n);
  for (let i = 0; i < n; i++) children[i] = new Array(childCount[i]);
  const filled = childCount.fill(0, 0, n);
  for (let i = 0; i < n; i++) {
    const own = parents[i];
    for (let d = 0; d < own.length; d++) {
      const p = own[d];
      children[p][filled[p]++] = i;
    }
  }
  return { ids, indexOf, first, parents, children };
}

/**
 * Finds one cycle and names it as `["s1", "s3", "s1"]`, or null for a DAG. Kahn's algorithm over
 * typed arrays decides (O(V+E)); only when it leaves steps over does a DFS name a cycle.
 */
export function findCycle(index: DagIndex): string[] | null {
  const n = index.ids.length;
  const indegree = scratch(0, n);
  for (let i = 0; i < n; i++) indegree[i] = index.parents[i].length;
  const queue = scratch(1, n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    for (const c of index.children[queue[head]]) if (--indegree[c] === 0) queue[tail++] = c;
  }
  return tail === n ? null : nameCycle(index);
}

/** Iterative DFS (colours white/grey/black) returning the first back edge's cycle. */
function nameCycle(index: DagIndex): string[] | null {
  const n = index.ids.length;
  const colour = new Uint8Array(n);
  const parentOf = new Int32Array(n).fill(-1);
  for (let root = 0; root < n; root++) {
    if (colour[root] !== 0) continue;
    const stack: [number, number][] = [[root, 0]];
    colour[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, edge] = top;
      const kids = index.children[node];
      if (edge >= kids.length) {
        colour[node] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      const next = kids[edge];
      if (colour[next] === 1) {
        const cycle = [index.ids[next]];
        for (let cur = node; cur !== next && cur !== -1; cur = parentOf[cur]) cycle.push(index.ids[cur]);
        cycle.push(index.ids[next]);
        // Collected from the back edge towards its start; reversed it reads in execution order.
        return cycle.reverse();
      }
      if (colour[next] === 0) {
        colour[next] = 1;
        parentOf[next] = node;
        stack.push([next, 0]);
      }
    }
  }
  return null;
}

const SHORT_WALK = 64;

/**
 * Walks a step's ancestors breadth-first, calling `visit` for each; stops as soon as `visit`
 * returns true. Early exit keeps typical reference checks close to O(distance), not O(n).
 */
export class AncestorWalker {
  readonly #seen: Int32Array;
  readonly #descendants = new Map<number, Uint8Array>();
  #epoch = 0;
  constructor(private readonly index: DagIndex) {
    this.#seen = new Int32Array(index.ids.length);
  }

  walk(node: number, visit: (ancestor: number) => boolean): void {
    const epoch = ++this.#epoch;
    const queue = [...this.index.parents[node]];
    for (const p of queue) this.#seen[p] = epoch;
    for (let head = 0; head < queue.length; head++) {
      const a = queue[head];
      if (visit(a)) return;
      for (const p of this.index.parents[a]) {
        if (this.#seen[p] === epoch) continue;
        this.#seen[p] = epoch;
        queue.push(p);
      }
    }
  }

  /**
   * A short backward walk answers the common case (a parent or grandparent). Past that, the
   * ancestor's descendants are computed once and kept, so a thousand steps naming the same
   * far-away step cost O(n) in all, not O(n) each.
   */
  isAncestor(ancestor: number, node: number): boolean {
    const known = this.#descendants.get(ancestor);
    if (known) return known[node] === 1;
    let found = false;
    let visited = 0;
    let exhausted = true;
    this.walk(node, (a) => {
      found = a === ancestor;
      if (found) return true;
      if (++visited >= SHORT_WALK) {
        exhausted = false;
        return true;
      }
      return false;
    });
    if (found || exhausted) return found;
    return this.#descendantsOf(ancestor)[node] === 1;
  }

  #descendantsOf(start: number): Uint8Array {
    const marks = new Uint8Array(this.index.ids.length);
    const stack = [start];
    while (stack.length) {
      for (const c of this.index.children[stack.pop()!]) {
        if (marks[c]) continue;
        marks[c] = 1;
        stack.push(c);
      }
    }
    this.#descendants.set(start, marks);
    return marks;
  }
}
