import { useMemo, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import { useClient } from "../lib/client-context";
import { parseJson, parseJsonObject, prettyJson } from "../lib/format";
import { navigate } from "../lib/route";
import { DagView } from "./dag-view";
import { buildCreateBody, drawableSteps, EXAMPLE_STEPS } from "./draft-steps";
import { ErrorBox } from "./error-box";
import { JsonEditor } from "./json-editor";

/** Create a workflow from a pasted step list or `{ name?, steps, variables? }`, drawn as it is typed. */
export function PasteForm() {
  const client = useClient();
  const [doc, setDoc] = useState("");
  const [name, setName] = useState("");
  const [vars, setVars] = useState("");
  const [start, setStart] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const parsedDoc = useMemo(() => parseJson(doc), [doc]);
  const parsedVars = useMemo(() => parseJsonObject(vars), [vars]);
  const draft = parsedDoc.ok ? drawableSteps(parsedDoc.value) : [];

  async function create() {
    if (!parsedDoc.ok || !parsedVars.ok) return;
    setBusy(true);
    setError(null);
    try {
      const variables = parsedVars.value as Record<string, unknown>;
      const record = await client.createWorkflow(buildCreateBody(parsedDoc.value, { name, variables, start }));
      navigate({ page: "workflow", id: record.id, step: null });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="stack">
      <div class="row">
        <label style={{ flex: 1 }}>
          Name (optional)
          <input name="name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="button" onClick={() => setDoc(prettyJson(EXAMPLE_STEPS))} style={{ alignSelf: "flex-end" }}>
          Insert the example
        </button>
      </div>
      <JsonEditor
        label="Steps: a JSON list of steps, or { name, steps, variables }"
        name="steps"
        value={doc}
        onInput={setDoc}
        rows={14}
        placeholder={'[\n  { "id": "s1", "agent": "util", "action": "ECHO", "args": { "value": "hi" } }\n]'}
      />
      <JsonEditor
        label="Variables (JSON object, used by $name references)"
        name="variables"
        kind="object"
        value={vars}
        onInput={setVars}
        rows={3}
        placeholder='{ "user_email": "you@example.com" }'
      />
      {draft.length > 0 ? <DagView steps={draft} /> : null}
      <ErrorBox error={error} onClose={() => setError(null)} />
      <div class="row">
        <button type="button" class="primary" disabled={busy || !parsedDoc.ok || !parsedVars.ok} onClick={create}>
          Create workflow
        </button>
        <label class="inline">
          <input
            type="checkbox"
            checked={start}
            onChange={(e) => setStart((e.currentTarget as HTMLInputElement).checked)}
          />
          Start it now
        </label>
      </div>
    </div>
  );
}
