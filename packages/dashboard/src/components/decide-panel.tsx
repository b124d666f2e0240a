import type { Intervention, StepRecord, WorkflowRecord } from "@tandem/core";
import { useEffect, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import { useClient } from "../lib/client-context";
import { prettyJson } from "../lib/format";
import { checkJson, JsonEditor } from "./json-editor";

export interface DecidePanelProps {
  workflow: WorkflowRecord;
  step: StepRecord;
  onChange: (record: WorkflowRecord) => void;
  onError: (error: ApiError | null) => void;
}

type Mode = "view" | "edit" | "output";

/** One resolved argument as text; strings keep their line breaks, other values are pretty JSON. */
function ArgValue({ value }: { value: unknown }) {
  return <div class="arg-text mono">{typeof value === "string" ? value : prettyJson(value)}</div>;
}

/** Exactly what would run if approved: the action and its resolved args, shown as text. */
export function WouldRun({ step }: { step: StepRecord }) {
  const args = step.resolved_args ?? step.args;
  const entries = Object.entries(args);
  return (
    <div class="would-run stack" data-testid="would-run">
      <div class="small muted">
        Would run <strong class="mono">{`${step.agent}.${step.action}`}</strong> with:
      </div>
      {entries.length === 0 ? <div class="muted small">no arguments</div> : null}
      {entries.map(([name, value]) => (
        <div key={name} data-arg={name}>
          <div class="arg-name">{name}</div>
          <ArgValue value={value} />
        </div>
      ))}
    </div>
  );
}

/**
 * Decide a step: approve or reject it as it stands, edit its args first (intervene `args`, then
 * `approve`), or supply its output so it succeeds without running. A failed step can only get an
 * output: it then counts as succeeded and the workflow goes on. Each call shows the API's refusal.
 */
export function DecidePanel({ workflow, step, onChange, onError }: DecidePanelProps) {
  const client = useClient();
  const [mode, setMode] = useState<Mode>("view");
  const [busy, setBusy] = useState(false);
  const [comment, setComment] = useState("");
  const currentArgs = prettyJson(step.args);
  const [argsText, setArgsText] = useState(currentArgs);
  const [outputText, setOutputText] = useState("{}");
  const awaiting = step.status === "awaiting_human";
  const failed = step.status === "failed";
  // The editor starts from the step's args as they are now, not from what was typed and cancelled.
  useEffect(() => setArgsText(currentArgs), [currentArgs]);

  async function run(...bodies: Intervention[]) {
    setBusy(true);
    onError(null);
    try {
      for (const body of bodies) {
        const withComment = comment.trim() ? { ...body, comment: comment.trim() } : body;
        onChange(await client.intervene(workflow.id, withComment));
      }
      setMode("view");
    } catch (err) {
      onError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const argsParsed = checkJson(argsText, "object");
  const outputParsed = checkJson(outputText, "any");
  const editedArgs = argsParsed.ok ? (argsParsed.value as Record<string, unknown>) : null;

  return (
    <div class={awaiting ? "decide stack" : "stack"} data-testid="decide">
      {awaiting ? <h2>Waiting for your decision</h2> : <h3>{failed ? "After the failure" : "Before it runs"}</h3>}
      {failed ? (
        <div class="small" data-testid="failed-output-hint">
          Supply the output this step should have produced: it then counts as succeeded, the steps that its failure
          skipped are put back, and the workflow goes on by itself.
        </div>
      ) : null}
      {step.in_doubt ? (
        <div class="warn small">
          This step may already have run: the server stopped while it was running and the action is not idempotent.
          Approve runs it again; <em>Supply output</em> records that it did happen; Reject skips it.
        </div>
      ) : null}
      {awaiting ? <WouldRun step={step} /> : null}
      {mode === "view" ? (
        <>
          <label>
            Comment (kept in the workflow's history)
            <input value={comment} onInput={(e) => setComment((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <div class="row">
            {awaiting ? (
              <>
                <button
                  type="button"
                  class="good"
                  disabled={busy}
                  onClick={() => run({ step_id: step.id, approve: true })}
                >
                  Approve
                </button>
                <button
                  type="button"
                  class="danger"
                  disabled={busy}
                  onClick={() => run({ step_id: step.id, approve: false })}
                >
                  Reject
                </button>
              </>
            ) : null}
            {failed ? null : (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  setArgsText(currentArgs);
                  setMode("edit");
                }}
              >
                Edit args…
              </button>
            )}
            <button type="button" disabled={busy} onClick={() => setMode("output")}>
              Supply output…
            </button>
          </div>
        </>
      ) : null}
      {mode === "edit" ? (
        <>
          <JsonEditor
            label="Args (merged into the step; $references resolve again)"
            kind="object"
            value={argsText}
            onInput={setArgsText}
            rows={8}
            name="args"
          />
          <div class="row">
            {awaiting ? (
              <button
                type="button"
                class="good"
                disabled={busy || !editedArgs}
                onClick={() =>
                  editedArgs && run({ step_id: step.id, args: editedArgs }, { step_id: step.id, approve: true })
                }
              >
                Save and approve
              </button>
            ) : null}
            <button
              type="button"
              class={awaiting ? "" : "primary"}
              disabled={busy || !editedArgs}
              onClick={() => editedArgs && run({ step_id: step.id, args: editedArgs })}
            >
              Save args
            </button>
            <button type="button" class="link" onClick={() => setMode("view")}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
      {mode === "output" ? (
        <>
          <JsonEditor
            label={`Output (an object with ${step.outputs.length ? step.outputs.join(", ") : "the step's outputs"})`}
            value={outputText}
            onInput={setOutputText}
            rows={6}
            name="output"
          />
          <div class="row">
            <button
              type="button"
              class="primary"
              disabled={busy || !outputParsed.ok}
              onClick={() => outputParsed.ok && run({ step_id: step.id, output: outputParsed.value })}
            >
              Record output
            </button>
            <button type="button" class="link" onClick={() => setMode("view")}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}
