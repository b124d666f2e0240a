import type { StepRecord, WorkflowRecord } from "@tandem/core";
import type { ApiError } from "../api/api-error";
import { formatDuration, formatTime } from "../lib/format";
import { DecidePanel } from "./decide-panel";
import { JsonBlock } from "./json-block";
import { StatusPill } from "./status-pill";

export interface StepPanelProps {
  workflow: WorkflowRecord;
  step: StepRecord;
  onChange: (record: WorkflowRecord) => void;
  onError: (error: ApiError | null) => void;
}

/**
 * Whether a person can still act on the step: args, output or approval before it runs, or an output
 * for a failed step (the engine then treats it as succeeded and carries on).
 */
function canIntervene(workflow: WorkflowRecord, step: StepRecord): boolean {
  if (workflow.status === "completed" || workflow.status === "cancelled") return false;
  return step.status === "awaiting_human" || step.status === "pending" || step.status === "failed";
}

/** Everything about one step: spec, times, attempts, args, resolved args, result, error, and the decision. */
export function StepPanel({ workflow, step, onChange, onError }: StepPanelProps) {
  const decide = canIntervene(workflow, step) ? (
    <DecidePanel key={step.id} workflow={workflow} step={step} onChange={onChange} onError={onError} />
  ) : null;
  return (
    <div class="panel stack" data-testid="step-panel" data-step-id={step.id}>
      <div class="row">
        <h2 class="mono step-title">{step.id}</h2>
        <StatusPill status={step.status} />
      </div>
      {step.description ? <div>{step.description}</div> : null}
      {decide && step.status !== "failed" ? decide : null}
      <dl class="kv">
        <dt>Action</dt>
        <dd class="mono">{`${step.agent}.${step.action}`}</dd>
        <dt>Depends on</dt>
        <dd class="mono">{step.depends_on.length ? step.depends_on.join(", ") : "—"}</dd>
        <dt>Outputs</dt>
        <dd class="mono">{step.outputs.length ? step.outputs.join(", ") : "—"}</dd>
        <dt>Needs human</dt>
        <dd>{step.needs_human ? "yes" : "no"}</dd>
        <dt>Attempts</dt>
        <dd>
          {step.attempts}
          {step.retry ? ` of ${step.retry.max_attempts}` : ""}
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(step.started_at)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(step.finished_at)}</dd>
        <dt>Took</dt>
        <dd>{formatDuration(step.started_at, step.finished_at)}</dd>
        {step.timeout_ms ? (
          <>
            <dt>Timeout</dt>
            <dd>{step.timeout_ms} ms</dd>
          </>
        ) : null}
        {step.in_doubt ? (
          <>
            <dt>In doubt</dt>
            <dd>yes: it may have run before a restart</dd>
          </>
        ) : null}
      </dl>
      {step.error ? (
        <div class="stack" data-testid="step-error">
          <h3>Error</h3>
          <div class="error-box" style={{ margin: 0 }}>
            <strong>{step.error.name}</strong>
            {step.error.code ? <span class="code"> · {step.error.code}</span> : null}
            <div style={{ whiteSpace: "pre-wrap" }}>{step.error.message}</div>
          </div>
        </div>
      ) : null}
      {/* A failed step's decision comes after its error, which it answers. */}
      {decide && step.status === "failed" ? decide : null}
      <h3>Args</h3>
      <JsonBlock value={step.args} label="args" />
      <h3>Resolved args</h3>
      <JsonBlock value={step.resolved_args ?? undefined} label="resolved args" />
      <h3>Result</h3>
      <div data-testid="step-result">
        <JsonBlock value={step.result ?? undefined} label="result" />
      </div>
    </div>
  );
}
