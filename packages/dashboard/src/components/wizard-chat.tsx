import type { StepInput } from "@tandem/core";
import { useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import type { WizardTurn } from "../api/client";
import { useClient } from "../lib/client-context";
import { navigate } from "../lib/route";
import { DagView } from "./dag-view";
import { drawableSteps } from "./draft-steps";
import { ErrorBox } from "./error-box";

interface Line {
  role: "user" | "assistant";
  text: string;
}

/** A conversation with the wizard; its draft is drawn after each turn and confirmed into a workflow. */
export function WizardChat() {
  const client = useClient();
  const [session, setSession] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [steps, setSteps] = useState<StepInput[] | null>(null);
  const [ready, setReady] = useState(false);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  function take(turn: WizardTurn) {
    setSession(turn.session_id);
    setLines((prev) => [...prev, { role: "assistant", text: turn.reply }]);
    setSteps(turn.steps);
    setReady(turn.ready);
  }

  async function send() {
    const text = message.trim();
    if (!text) return;
    setBusy(true);
    setError(null);
    setLines((prev) => [...prev, { role: "user", text }]);
    setMessage("");
    try {
      take(session ? await client.wizardChat({ session_id: session, message: text }) : await client.wizardStart(text));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!session) return;
    setBusy(true);
    setError(null);
    try {
      const turn = await client.wizardChat({ session_id: session, confirm: true });
      if (turn.workflow) navigate({ page: "workflow", id: turn.workflow.id, step: null });
      else take(turn);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="stack">
      <div class="panel chat" data-testid="wizard-chat">
        {lines.length === 0 ? (
          <div class="muted">Describe what you want done; the wizard asks what it needs and drafts the steps.</div>
        ) : null}
        {lines.map((line, i) => (
          <div key={i} class={`bubble ${line.role}`}>
            {line.text}
          </div>
        ))}
        {busy ? <div class="bubble assistant muted">…</div> : null}
      </div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <input
          name="message"
          style={{ flex: 1 }}
          value={message}
          placeholder={session ? "Answer or refine…" : "I want to…"}
          onInput={(e) => setMessage((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="primary" disabled={busy || !message.trim()}>
          Send
        </button>
        {session ? (
          <button
            type="button"
            onClick={() => {
              setSession(null);
              setLines([]);
              setSteps(null);
              setReady(false);
            }}
          >
            Start over
          </button>
        ) : null}
      </form>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {steps && steps.length > 0 ? (
        <div class="panel stack">
          <div class="row">
            <h2 style={{ flex: 1 }}>Draft: {steps.length} steps</h2>
            <span class="small muted">{ready ? "The wizard says it is ready." : "Still a draft."}</span>
            <button type="button" class="primary" disabled={busy || !ready} onClick={confirm}>
              Create workflow
            </button>
          </div>
          <DagView steps={drawableSteps(steps)} />
        </div>
      ) : null}
    </div>
  );
}
