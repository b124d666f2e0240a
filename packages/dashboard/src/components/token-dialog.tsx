import { useState } from "preact/hooks";

/** Asks once for the server's bearer token (TANDEM_TOKEN); it is kept for this browser tab only. */
export function TokenDialog({ reason, onDone }: { reason: string; onDone: (token: string | null) => void }) {
  const [token, setToken] = useState("");
  return (
    <div class="modal-backdrop">
      <form
        class="modal stack"
        aria-label="Token"
        onSubmit={(e) => {
          e.preventDefault();
          onDone(token.trim() || null);
        }}
      >
        <h2>This server needs a token</h2>
        <div class="small muted">{reason}</div>
        <label>
          Token (the server's TANDEM_TOKEN; kept in this tab's session storage only)
          <input
            name="token"
            type="password"
            autoComplete="off"
            value={token}
            onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <div class="row">
          <button type="submit" class="primary" disabled={!token.trim()}>
            Use token
          </button>
          <button type="button" onClick={() => onDone(null)}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
