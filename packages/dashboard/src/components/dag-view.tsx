import type { StepStatus } from "@tandem/core";
import { useMemo } from "preact/hooks";
import { statusLabel } from "../lib/format";
import { edgePath, layoutDag, MAX_DRAWN_STEPS } from "../lib/layout";

/** What the graph shows of a step; drafts (generate, wizard) have no status yet. */
export interface DagStep {
  id: string;
  agent: string;
  action: string;
  depends_on?: readonly string[];
  needs_human?: boolean;
  status?: StepStatus;
}

export interface DagViewProps {
  steps: readonly DagStep[];
  selected?: string | null;
  onSelect?: (id: string) => void;
}

/** Cuts a label to fit a box; SVG text does not wrap. */
function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
      <svg
        width={Math.max(layout.width, 200)}
        height={Math.max(layout.height, 100)}
        role="img"
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
          if (!step) return null;
          const status = step.status ?? "pending";
          const color = `var(--s-${status})`;
          const cls = `dag-node ${status}${selected === n.id ? " selected" : ""}`;
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>.
            <g
              key={n.id}
              class={cls}
              data-step-id={n.id}
              data-status={status}
              transform={`translate(${n.x},${n.y})`}
              onClick={() => onSelect?.(n.id)}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") onSelect?.(n.id);
              }}
              role="button"
              tabIndex={0}
              aria-label={`Step ${n.id}, ${statusLabel(status)}`}
            >
              <title>{`${n.id} · ${step.agent}.${step.action} · ${statusLabel(status)}`}</title>
              <rect
                class="box"
                width={n.width}
                height={n.height}
                rx="8"
                fill={step.status ? `var(--s-${status}-bg)` : "#fff"}
                stroke={color}
                stroke-width="1.5"
                stroke-dasharray={status === "skipped" ? "5 4" : undefined}
              />
              <rect class="bar" width="6" height={n.height} rx="3" fill={color} />
              <text x="16" y="21" font-size="13" font-weight="600" fill="#1b2230">
                {fit(n.id, step.needs_human ? 16 : 22)}
              </text>
              {step.needs_human ? (
                <g transform={`translate(${n.width - 68},9)`}>
                  <title>Needs a person's approval</title>
                  <rect width="58" height="16" rx="8" fill="#fff" stroke="var(--s-awaiting_human)" stroke-width="1" />
                  <text
                    x="29"
                    y="11.5"
                    font-size="9.5"
                    font-weight="600"
                    text-anchor="middle"
                    fill="var(--s-awaiting_human)"
                  >
                    approval
                  </text>
                </g>
              ) : null}
              <text x="16" y="38" font-size="11.5" fill="#5d6879">
                {fit(`${step.agent}.${step.action}`, 27)}
              </text>
              <text x="16" y="54" font-size="10.5" font-weight="600" fill={step.status ? color : "#5d6879"}>
                {step.status ? statusLabel(status) : "draft"}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
