import { useMemo } from "preact/hooks";
import { edgePath, layoutDag, MAX_DRAWN_STEPS } from "../lib/layout";
import { DagNode, type DagStep } from "./dag-node";

export interface DagViewProps {
  steps: readonly DagStep[];
  selected?: string | null;
  /** Makes each box a button (Tab, Enter, Space, click); drafts leave it out. */
  onSelect?: (id: string) => void;
}

/** The workflow's DAG, laid out by dagre, each step coloured by status. Edges run dependency → dependent. */
export function DagView({ steps, selected, onSelect }: DagViewProps) {
  const tooMany = steps.length > MAX_DRAWN_STEPS;
  // Layout depends only on ids and edges, so status updates do not re-run dagre.
  const shape = steps.map((s) => `${s.id}<${(s.depends_on ?? []).join(",")}`).join(";");
  const layout = useMemo(() => (tooMany ? null : layoutDag(steps)), [shape, tooMany]);
  if (steps.length === 0) return <div class="empty">No steps.</div>;
  if (!layout) {
    return (
      <div class="notice">
        This workflow has {steps.length} steps; graphs are drawn up to {MAX_DRAWN_STEPS}. Pick a step from the list
        below.
      </div>
    );
  }
  const byId = new Map(steps.map((s) => [s.id, s]));
  return (
    <div class="dag-wrap" data-testid="dag">
      {/* biome-ignore lint/a11y/useSemanticElements: an <svg> cannot be a <fieldset>; "group" keeps its boxes reachable. */}
      <svg
        width={Math.max(layout.width, 200)}
        height={Math.max(layout.height, 100)}
        role="group"
        aria-label={`Graph of ${steps.length} steps`}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" fill="#98a2b3" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <path
            key={`${e.from}->${e.to}`}
            d={edgePath(e.points)}
            fill="none"
            stroke="#98a2b3"
            stroke-width="1.5"
            marker-end="url(#arrow)"
          />
        ))}
        {layout.nodes.map((n) => {
          const step = byId.get(n.id);
          return step ? (
            <DagNode key={n.id} node={n} step={step} selected={selected === n.id} onSelect={onSelect} />
          ) : null;
        })}
      </svg>
    </div>
  );
}
