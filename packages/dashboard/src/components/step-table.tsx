import type { StepRecord } from "@tandem/core";
import { formatDuration } from "../lib/format";
import { StatusPill } from "./status-pill";

/** Rows drawn at most; a bigger workflow says how many it left out. */
const MAX_ROWS = 500;

export interface StepTableProps {
  steps: readonly StepRecord[];
  selected: string | null;
  onSelect: (id: string) => void;
}

/**
 * The steps as a table. Each id is a button, so a keyboard selects a step with Tab and Enter; the row
 * stays clickable for a mouse. Long ids are cut with an ellipsis and shown whole in the tooltip.
 */
export function StepTable({ steps, selected, onSelect }: StepTableProps) {
  return (
    <div class="panel table-scroll">
      <table class="list steps">
        <thead>
          <tr>
            <th>Step</th>
            <th>Action</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Took</th>
          </tr>
        </thead>
        <tbody>
          {steps.slice(0, MAX_ROWS).map((s) => (
            <tr
              key={s.id}
              data-step-id={s.id}
              class={s.id === selected ? "clickable selected" : "clickable"}
              onClick={() => onSelect(s.id)}
            >
              <td class="step-id">
                <button
                  type="button"
                  class="link mono"
                  title={s.id}
                  aria-pressed={s.id === selected}
                  onClick={(e) => {
                    e.stopPropagation();
                    onSelect(s.id);
                  }}
                >
                  {s.id}
                </button>
              </td>
              <td class="mono small">{`${s.agent}.${s.action}`}</td>
              <td>
                <StatusPill status={s.status} />
              </td>
              <td>{s.attempts}</td>
              <td class="small">{formatDuration(s.started_at, s.finished_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {steps.length > MAX_ROWS ? (
        <div class="small muted">
          First {MAX_ROWS} of {steps.length} steps.
        </div>
      ) : null}
    </div>
  );
}
