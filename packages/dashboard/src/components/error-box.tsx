import { type ApiError, explain } from "../api/api-error";

/** An API refusal as a person reads it: plain message, the code, and each detail with its path. */
export function ErrorBox({ error, onClose }: { error: ApiError | null; onClose?: () => void }) {
  if (!error) return null;
  return (
    <div class="error-box" role="alert" data-error-code={error.code}>
      <div class="row">
        <strong style={{ flex: 1 }}>{explain(error)}</strong>
        <span class="code">
          {error.code}
          {error.status ? ` · HTTP ${error.status}` : ""}
        </span>
        {onClose ? (
          <button type="button" class="link" onClick={onClose} aria-label="Dismiss">
            ✕
          </button>
        ) : null}
      </div>
      {error.code === "llm_unavailable" && error.message !== explain(error) ? (
        <div class="small">Server said: {error.message}</div>
      ) : null}
      {error.details.length > 0 ? (
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>
              {d.path ? <span class="mono">{d.path}: </span> : null}
              {d.message}
              {d.code ? <span class="muted small"> ({d.code})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
