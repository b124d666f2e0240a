import type { ScheduleRecord } from "@tandem/core";
import { useEffect, useMemo, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import type { ScheduleInputBody } from "../api/client";
import { useClient } from "../lib/client-context";
import { type CronPreview, previewCron } from "../lib/cron-preview";
import { formatTime, parseJson, parseJsonObject, prettyJson } from "../lib/format";
import { EXAMPLE_STEPS } from "./draft-steps";
import { ErrorBox } from "./error-box";
import { JsonEditor } from "./json-editor";

const PRESETS = [
  ["every 15 min", "*/15 * * * *"],
  ["hourly", "0 * * * *"],
  ["daily 09:00", "0 9 * * *"],
  ["weekdays 09:00", "0 9 * * 1-5"],
] as const;

const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

/** The next fire times, recomputed (on demand-loaded cron-parser) as the cron or timezone changes. */
function usePreview(cron: string, timezone: string): CronPreview | null {
  const [preview, setPreview] = useState<CronPreview | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      previewCron(cron, timezone).then((p) => current && setPreview(p));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [cron, timezone]);
  return preview;
}

/** Create a schedule; shows the next fire times in the schedule's timezone and the viewer's before saving. */
export function ScheduleForm({ onSaved }: { onSaved: (schedule: ScheduleRecord) => void }) {
  const client = useClient();
  const [name, setName] = useState("");
  const [cron, setCron] = useState("0 9 * * 1-5");
  const [timezone, setTimezone] = useState("UTC");
  const [source, setSource] = useState<"steps" | "workflow">("steps");
  const [steps, setSteps] = useState(() => prettyJson(EXAMPLE_STEPS));
  const [workflowId, setWorkflowId] = useState("");
  const [vars, setVars] = useState("");
  const [overlap, setOverlap] = useState<"skip" | "allow">("skip");
  const [catchUp, setCatchUp] = useState<"skip" | "latest" | "all">("latest");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const preview = usePreview(cron, timezone);
  const parsedSteps = useMemo(() => parseJson(steps), [steps]);
  const parsedVars = useMemo(() => parseJsonObject(vars), [vars]);
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // A field is outlined when the preview or the server's refusal (by its detail paths) names it.
  const invalid = new Set<string>(error?.details.map((d) => d.path.split(".")[0]) ?? []);
  if (preview && !preview.ok) invalid.add(preview.field);
  const ready = parsedVars.ok && (source === "steps" ? parsedSteps.ok : workflowId.trim() !== "");

  async function save() {
    if (!parsedVars.ok) return;
    const body: ScheduleInputBody = {
      cron: cron.trim(),
      timezone: timezone.trim() || undefined,
      overlap,
      catch_up: catchUp,
    };
    if (name.trim()) body.name = name.trim();
    if (source === "steps" && parsedSteps.ok) body.steps = parsedSteps.value as ScheduleInputBody["steps"];
    else body.workflow_id = workflowId.trim();
    const variables = parsedVars.value as Record<string, unknown>;
    if (Object.keys(variables).length) body.variables = variables;
    setBusy(true);
    setError(null);
    try {
      onSaved(await client.createSchedule(body));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (set: (v: string) => void) => (e: Event) => set((e.currentTarget as HTMLInputElement).value);
  return (
    <div class="panel stack" data-testid="schedule-form">
      <h2>New schedule</h2>
      <div class="row" style={{ alignItems: "flex-end" }}>
        <label>
          Name
          <input name="schedule-name" value={name} onInput={input(setName)} placeholder="Morning news" />
        </label>
        <label>
          Cron (5 fields, or 6 with seconds)
          <input
            name="cron"
            class={invalid.has("cron") ? "invalid mono" : "mono"}
            aria-invalid={invalid.has("cron")}
            value={cron}
            onInput={input(setCron)}
          />
        </label>
        <label>
          Timezone
          <input
            name="timezone"
            list="tz-list"
            class={invalid.has("timezone") ? "invalid" : ""}
            aria-invalid={invalid.has("timezone")}
            value={timezone}
            onInput={input(setTimezone)}
          />
          <datalist id="tz-list">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
        <button type="button" class="link small" onClick={() => setTimezone(viewerZone)}>
          use mine ({viewerZone})
        </button>
      </div>
      <div class="row small">
        {PRESETS.map(([label, value]) => (
          <button key={value} type="button" class="small" onClick={() => setCron(value)}>
            {label}
          </button>
        ))}
      </div>
      <div class="notice small" data-testid="cron-preview">
        {!preview ? "Computing…" : null}
        {preview && !preview.ok ? <span style={{ color: "var(--danger)" }}>{preview.message}</span> : null}
        {preview?.ok ? (
          <>
            <strong>Next runs</strong>
            <ol style={{ margin: "4px 0 0", paddingLeft: "20px" }}>
              {preview.times.map((t) => (
                <li key={t}>
                  {formatTime(t, timezone)} <span class="muted">({timezone})</span>
                  {viewerZone !== timezone ? <span class="muted"> · {formatTime(t)} your time</span> : null}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
      <div class="row small">
        <label class="inline">
          <input type="radio" checked={source === "steps"} onChange={() => setSource("steps")} /> Steps
        </label>
        <label class="inline">
          <input type="radio" checked={source === "workflow"} onChange={() => setSource("workflow")} /> Copy a stored
          workflow
        </label>
      </div>
      {source === "steps" ? (
        <JsonEditor label="Steps of each run" name="schedule-steps" value={steps} onInput={setSteps} rows={8} />
      ) : (
        <label>
          Workflow id (its steps and variables are the template)
          <input name="workflow-id" class="mono" value={workflowId} onInput={input(setWorkflowId)} />
        </label>
      )}
      <JsonEditor
        label="Variables"
        name="schedule-variables"
        kind="object"
        value={vars}
        onInput={setVars}
        rows={2}
        placeholder='{ "user_email": "you@example.com" }'
      />
      <div class="row">
        <label>
          If the last run is still going
          <select value={overlap} onChange={input((v) => setOverlap(v as "skip" | "allow"))}>
            <option value="skip">skip this run</option>
            <option value="allow">run anyway</option>
          </select>
        </label>
        <label>
          Runs missed while the server was down
          <select value={catchUp} onChange={input((v) => setCatchUp(v as "skip" | "latest" | "all"))}>
            <option value="latest">run the latest one</option>
            <option value="all">run them all (capped)</option>
            <option value="skip">skip them</option>
          </select>
        </label>
      </div>
      <ErrorBox error={error} onClose={() => setError(null)} />
      <div class="row">
        <button type="button" class="primary" disabled={busy || !ready} onClick={save}>
          Save schedule
        </button>
      </div>
    </div>
  );
}
