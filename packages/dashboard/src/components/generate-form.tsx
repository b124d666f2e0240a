import type { WorkflowRecord } from "@tandem/core";
import { useMemo, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import { useClient } from "../lib/client-context";
import { parseJsonObject } from "../lib/format";
import { navigate } from "../lib/route";
import { DagView } from "./dag-view";
import { ErrorBox } from "./error-box";
import { JsonBlock } from "./json-block";
import { JsonEditor } from "./json-editor";

/**
 * A sentence becomes a plan (`POST /workflows/generate`, `start: false`): the plan is drawn for review
 * and started only when the person says so (resume), or discarded (delete).
 */
export function GenerateForm() {
  const client = useClient();
  const [prompt, setPrompt] = useState("");
  const [vars, setVars] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [plan, setPlan] = useState<{ workflow: WorkflowRecord; attempts: number } | null>(null);
  const parsedVars = useMemo(() => parseJsonObject(vars), [vars]);

  async function call(fn: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const generate = () =>
    call(async () => {
      if (!parsedVars.ok) return;
      const variables = parsedVars.value as Record<string, unknown>;
      setPlan(await client.generate({ prompt: prompt.trim(), variables, start: false }));
    });

  return (
    <div class="stack">
      <label>
        What should happen?
        <textarea
          name="prompt"
          rows={3}
          value={prompt}
          placeholder="Search the web for AI news and email me the results"
          onInput={(e) => setPrompt((e.currentTarget as HTMLTextAreaElement).value)}
          style={{ fontFamily: "inherit", fontSize: "14px" }}
        />
      </label>
      <JsonEditor
        label="Variables (optional)"
        kind="object"
        value={vars}
        onInput={setVars}
        rows={2}
        placeholder='{ "user_email": "you@example.com" }'
      />
      <div class="row">
        <button type="button" class="primary" disabled={busy || !prompt.trim() || !parsedVars.ok} onClick={generate}>
          {busy && !plan ? "Planning…" : "Draw a plan"}
        </button>
        <span class="small muted">Nothing runs until you start it.</span>
      </div>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {plan ? (
        <div class="panel stack" data-testid="plan">
          <div class="row">
            <h2 style={{ flex: 1 }}>
              Plan: {plan.workflow.steps.length} steps{" "}
              <span class="muted small">
                ({plan.attempts} attempt{plan.attempts === 1 ? "" : "s"})
              </span>
            </h2>
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={() =>
                call(async () => {
                  const started = await client.resume(plan.workflow.id);
                  navigate({ page: "workflow", id: started.id, step: null });
                })
              }
            >
              Start it
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => navigate({ page: "workflow", id: plan.workflow.id, step: null })}
            >
              Open without starting
            </button>
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                call(async () => {
                  await client.deleteWorkflow(plan.workflow.id);
                  setPlan(null);
                })
              }
            >
              Discard
            </button>
          </div>
          <DagView steps={plan.workflow.steps} />
          <JsonBlock
            value={plan.workflow.steps.map(({ id, agent, action, args, depends_on, outputs, needs_human }) => ({
              id,
              agent,
              action,
              args,
              depends_on,
              outputs,
              needs_human,
            }))}
            label="plan steps"
          />
        </div>
      ) : null}
    </div>
  );
}
