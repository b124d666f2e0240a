import type { StepStatus, WorkflowStatus } from "@tandem/core";
import { STEP_STATUS_LIST, statusLabel } from "../lib/format";

/** A status word in its colour (the same colours as the graph). */
export function StatusPill({ status }: { status: StepStatus | WorkflowStatus }) {
  return (
    <span
      class="pill"
      data-status={status}
      style={{ color: `var(--s-${status})`, background: `var(--s-${status}-bg)` }}
    >
      {statusLabel(status)}
    </span>
  );
}

/** Step counts by status as a thin stacked bar plus "3/5 done". */
export function StepCounts({ counts }: { counts: Partial<Record<StepStatus, number>> }) {
  const total = STEP_STATUS_LIST.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  const done = counts.succeeded ?? 0;
  const title = STEP_STATUS_LIST.filter((s) => counts[s])
    .map((s) => `${counts[s]} ${statusLabel(s)}`)
    .join(", ");
  return (
    <div class="row" title={title}>
      <div class="counts">
        {STEP_STATUS_LIST.map((s) =>
          counts[s] ? (
            <span key={s} style={{ width: `${((counts[s] ?? 0) / total) * 100}%`, background: `var(--s-${s})` }} />
          ) : null,
        )}
      </div>
      <span class="small muted">
        {done}/{total} done
        {counts.awaiting_human ? ` · ${counts.awaiting_human} awaiting` : ""}
        {counts.failed ? ` · ${counts.failed} failed` : ""}
      </span>
    </div>
  );
}
