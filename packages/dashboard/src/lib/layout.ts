/**
 * DAG layout with dagre: steps become boxes, `depends_on` becomes edges from dependency to dependent.
 * @module
 */
import { Graph, layout } from "@dagrejs/dagre";

/** What the layout needs from a step. */
export interface LayoutStep {
  id: string;
  depends_on?: readonly string[];
}

export interface PlacedNode {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

export interface DagLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Above this many steps the page shows a table instead: dagre's layout grows faster than linearly. */
export const MAX_DRAWN_STEPS = 400;

export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 62;

/**
 * Lays the steps out left to right. Dependencies that name no step (a draft the server will refuse)
 * are left out rather than drawn to nowhere.
 */
export function layoutDag(steps: readonly LayoutStep[]): DagLayout {
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 22, ranksep: 56, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(steps.map((s) => s.id));
  for (const step of steps) g.setNode(step.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const step of steps) {
    for (const dep of step.depends_on ?? []) {
      if (ids.has(dep) && dep !== step.id) g.setEdge(dep, step.id);
    }
  }
  layout(g);
  const graph = g.graph();
  const nodes = steps.map((step) => {
    const n = g.node(step.id);
    return { id: step.id, x: (n.x ?? 0) - n.width / 2, y: (n.y ?? 0) - n.height / 2, width: n.width, height: n.height };
  });
  const edges = g.edges().map((e) => ({ from: e.v, to: e.w, points: g.edge(e).points ?? [] }));
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}

/** An SVG path through dagre's edge points, smoothed with quadratic curves between midpoints. */
export function edgePath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  if (rest.length === 0) return `M${first.x},${first.y}`;
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i];
    const q = rest[i + 1];
    d += ` Q${p.x},${p.y} ${(p.x + q.x) / 2},${(p.y + q.y) / 2}`;
  }
  const last = rest[rest.length - 1];
  return `${d} L${last.x},${last.y}`;
}
