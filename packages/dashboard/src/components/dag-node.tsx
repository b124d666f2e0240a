import type { StepStatus } from "@tandem/core";
import { statusLabel } from "../lib/format";
import type { PlacedNode } from "../lib/layout";

/** What a graph box shows of a step; drafts (paste, generate, wizard) have no status yet. */
export interface DagStep {
  id: string;
  agent: string;
  action: string;
  depends_on?: readonly string[];
  needs_human?: boolean;
  status?: StepStatus;
}

export interface DagNodeProps {
  node: PlacedNode;
  step: DagStep;
  selected: boolean;
  /** Without it the box is a picture (a draft); with it, a button reached by Tab. */
  onSelect?: (id: string) => void;
}

/** Cuts a label to fit a box; SVG text does not wrap. */
function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The inside of a box: a focus ring (shown on keyboard focus), the box, the id, action and status. */
function NodeBody({ node: n, step }: { node: PlacedNode; step: DagStep }) {
  const status = step.status ?? "pending";
  const color = `var(--s-${status})`;
  return (
    <>
      <rect
        class="focus-ring"
        x="-4"
        y="-4"
        width={n.width + 8}
        height={n.height + 8}
        rx="11"
        fill="none"
        stroke="var(--accent)"
        stroke-width="2.5"
      />
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
          <text x="29" y="11.5" font-size="9.5" font-weight="600" text-anchor="middle" fill="var(--s-awaiting_human)">
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
    </>
  );
}

/** One step of the graph, coloured by status; a keyboard selects it with Tab, then Enter or Space. */
export function DagNode({ node: n, step, selected, onSelect }: DagNodeProps) {
  const status = step.status ?? "pending";
  const common = {
    class: `dag-node ${status}${selected ? " selected" : ""}`,
    "data-step-id": n.id,
    "data-status": status,
    transform: `translate(${n.x},${n.y})`,
  };
  if (!onSelect) {
    return (
      <g {...common}>
        <NodeBody node={n} step={step} />
      </g>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; role, tabindex and keys make one.
    <g
      {...common}
      role="button"
      // Lowercase: SVG attributes are case-sensitive, and Preact would set `tabIndex` as an unknown one.
      tabindex={0}
      aria-current={selected ? "true" : undefined}
      aria-label={`Step ${n.id}, ${statusLabel(status)}`}
      onClick={() => onSelect(n.id)}
      onKeyDown={(e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault(); // Space would scroll the page
        onSelect(n.id);
      }}
    >
      <NodeBody node={n} step={step} />
    </g>
  );
}
