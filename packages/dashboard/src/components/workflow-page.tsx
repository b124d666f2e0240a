import type { WorkflowRecord } from "@tandem/core";
import { useEffect, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import { useClient } from "../lib/client-context";
import { formatRelative, formatTime } from "../lib/format";
import { navigate } from "../lib/route";
import { type LiveState, useLiveWorkflow } from "../lib/use-live-workflow";
import { DagView } from "./dag-view";
import { ErrorBox } from "./error-box";
import { JsonBlock } from "./json-block";
import { StatusPill } from "./status-pill";
import { StepPanel } from "./step-panel";
import { StepTable } from "./step-table";

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: "connecting…",
  live: "● live",
  polling: "reconnecting…",
  ended: "finished",
};

/** Commands on the whole workflow: resume, interrupt, delete (delete asks for a second click). */
function Actions(props: {
  workflow: WorkflowRecord;
  onChange: (r: WorkflowRecord) => void;
  onError: (e: ApiError | null) => void;
}) {
  const { workflow, onChange, onError } = props;
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const s = workflow.status;
  // SPEC: resuming a paused workflow approves the steps that wait for a person; say so on the button.
  const waiting = workflow.steps.filter((x) => x.status === "awaiting_human").length;
  const resumeLabel =
    s === "pending"
      ? "Start"
      : s === "failed"
        ? "Retry failed steps"
        : waiting > 0
          ? `Resume and approve ${waiting}`
          : "Resume";

  async function act(fn: () => Promise<WorkflowRecord | undefined>) {
    setBusy(true);
    onError(null);
    try {
      const record = await fn();
      if (record) onChange(record);
    } catch (err) {
      onError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="row">
      {s === "pending" || s === "paused" || s === "failed" ? (
        <button
          type="button"
          class={waiting > 0 ? "" : "primary"}
          disabled={busy}
          title={waiting > 0 ? "Resuming approves every step that waits for a person, as it stands" : undefined}
          onClick={() => act(() => client.resume(workflow.id))}
        >
          {resumeLabel}
        </button>
      ) : null}
      {s === "running" || s === "paused" || s === "pending" ? (
        <button type="button" disabled={busy} onClick={() => act(() => client.interrupt(workflow.id))}>
          Interrupt
        </button>
      ) : null}
      <button
        type="button"
        class={confirmDelete ? "danger confirm" : "danger"}
        disabled={busy}
        onBlur={() => setConfirmDelete(false)}
        onClick={() => {
          if (!confirmDelete) return setConfirmDelete(true);
          void act(async () => {
            await client.deleteWorkflow(workflow.id);
            navigate({ page: "workflows" });
            return undefined;
          });
        }}
      >
        {confirmDelete ? "Really delete?" : "Delete"}
      </button>
    </div>
  );
}

/** One workflow: its DAG, live; a step's details and decisions; commands; history. */
export function WorkflowPage({ id, step: stepParam }: { id: string; step: string | null }) {
  const client = useClient();
  const { workflow, error: loadError, live, deleted, set } = useLiveWorkflow(client, id);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string | null>(stepParam);

  // Without a choice, show the step that waits for a person, else the first step.
  useEffect(() => {
    if (!workflow || (selected && workflow.steps.some((s) => s.id === selected))) return;
    const waiting = workflow.steps.find((s) => s.status === "awaiting_human");
    setSelected(waiting?.id ?? workflow.steps[0]?.id ?? null);
  }, [workflow, selected]);

  if (deleted) return <WorkflowGone id={id} name={workflow?.name ?? null} wasShown={workflow !== null} />;
  if (!workflow) {
    return (
      <>
        <ErrorBox error={loadError} />
        {loadError ? <a href="#/">← All workflows</a> : <div class="empty">Loading…</div>}
      </>
    );
  }
  const step = workflow.steps.find((s) => s.id === selected) ?? null;
  const awaiting = workflow.steps.filter((s) => s.status === "awaiting_human");

  return (
    <div data-testid="workflow" data-workflow-id={workflow.id} data-status={workflow.status}>
      <div class="page-head">
        <a href="#/">← Workflows</a>
        <h1 class="grow title">
          {/* <bdi>: a right-to-left name must not reorder the id printed after it. */}
          <bdi>{workflow.name ?? "Untitled workflow"}</bdi> <span class="muted mono small">{workflow.id}</span>
        </h1>
        <StatusPill status={workflow.status} />
        <span class={`small live-${live}`} data-testid="live">
          {LIVE_TEXT[live]}
        </span>
        <Actions workflow={workflow} onChange={set} onError={setActionError} />
      </div>
      <ErrorBox error={actionError} onClose={() => setActionError(null)} />
      {awaiting.length > 0 ? (
        <div class="warn" style={{ marginBottom: "12px" }}>
          {awaiting.length === 1 ? "One step waits" : `${awaiting.length} steps wait`} for a person:{" "}
          {awaiting.map((s, i) => (
            <span key={s.id}>
              {i > 0 ? ", " : ""}
              <button type="button" class="link mono" onClick={() => setSelected(s.id)}>
                {s.id}
              </button>
            </span>
          ))}
        </div>
      ) : null}
      <div class="workflow-grid">
        <div class="stack main-column">
          <DagView steps={workflow.steps} selected={selected} onSelect={setSelected} />
          <StepTable steps={workflow.steps} selected={selected} onSelect={setSelected} />
          <div class="panel stack workflow-details">
            <dl class="kv">
              <dt>Created</dt>
              <dd>
                {formatTime(workflow.created_at)} ({formatRelative(workflow.created_at)})
              </dd>
              <dt>Updated</dt>
              <dd>{formatTime(workflow.updated_at)}</dd>
              {workflow.schedule_id ? (
                <>
                  <dt>Schedule</dt>
                  <dd class="mono">
                    <a href="#/schedules">{workflow.schedule_id}</a> for {formatTime(workflow.scheduled_for)}
                  </dd>
                </>
              ) : null}
              {workflow.generation ? (
                <>
                  <dt>Generated from</dt>
                  <dd>
                    “{workflow.generation.prompt}” in {workflow.generation.attempts} attempt
                    {workflow.generation.attempts === 1 ? "" : "s"}
                  </dd>
                </>
              ) : null}
            </dl>
            <h3>Variables</h3>
            <JsonBlock value={workflow.variables} label="variables" />
            {workflow.interventions.length > 0 ? (
              <>
                <h3>Interventions</h3>
                <ul class="small" style={{ margin: 0, paddingLeft: "18px" }}>
                  {workflow.interventions.map((r, i) => (
                    <li key={i}>
                      <span class="muted">{formatTime(r.at)}</span> <span class="mono">{describe(r.intervention)}</span>
                      {r.intervention.comment ? ` — “${r.intervention.comment}”` : ""}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        </div>
        <div>
          {step ? (
            <StepPanel workflow={workflow} step={step} onChange={set} onError={setActionError} />
          ) : (
            <div class="panel empty">Select a step.</div>
          )}
        </div>
      </div>
    </div>
  );
}

/** What is left of a page whose workflow the server no longer has (deleted here, elsewhere or by retention). */
function WorkflowGone({ id, name, wasShown }: { id: string; name: string | null; wasShown: boolean }) {
  return (
    <div class="panel stack gone" data-testid="workflow-deleted" role="status">
      <h1>{wasShown ? "This workflow was deleted" : "No such workflow"}</h1>
      <div>
        {name ? (
          <>
            “<bdi>{name}</bdi>” (<span class="mono">{id}</span>)
          </>
        ) : (
          <span class="mono">{id}</span>
        )}{" "}
        {wasShown
          ? "is no longer on the server: it was deleted from another page, through the API or by the retention limit. Nothing on it runs any more."
          : "is not on the server: it was deleted, or never existed."}
      </div>
      <div>
        <a href="#/">← All workflows</a>
      </div>
    </div>
  );
}

/** One line per intervention for the history list. */
function describe(i: WorkflowRecord["interventions"][number]["intervention"]): string {
  const parts: string[] = [];
  if (i.step_id) parts.push(i.step_id);
  if (i.approve === true) parts.push("approved");
  if (i.approve === false) parts.push("rejected");
  if (i.args) parts.push(`args ${Object.keys(i.args).join(", ")} edited`);
  if (i.output !== undefined) parts.push("output supplied");
  if (i.variables) parts.push(`variables ${Object.keys(i.variables).join(", ")} set`);
  if (i.add_steps?.length) parts.push(`added ${i.add_steps.map((s) => s.id).join(", ")}`);
  if (i.remove_steps?.length) parts.push(`removed ${i.remove_steps.join(", ")}`);
  return parts.join(" · ");
}
