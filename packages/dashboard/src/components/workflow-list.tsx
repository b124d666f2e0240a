import type { WorkflowStatus } from "@tandem/core";
import { useCallback, useEffect, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import type { WorkflowPage } from "../api/client";
import { useClient } from "../lib/client-context";
import { formatRelative, formatTime, statusLabel, WORKFLOW_STATUS_LIST } from "../lib/format";
import { navigate } from "../lib/route";
import { ErrorBox } from "./error-box";
import { StatusPill, StepCounts } from "./status-pill";

const PAGE_SIZE = 25;
const REFRESH_MS = 4000;

/**
 * Workflows, newest first, with a status filter and keyset paging (`next_cursor`). The page in view is
 * re-read every few seconds, so statuses move without a reload.
 */
export function WorkflowList() {
  const client = useClient();
  const [status, setStatus] = useState<WorkflowStatus | "">("");
  // Cursors of the pages before the one in view, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<WorkflowPage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const cursor = cursors[cursors.length - 1];

  const load = useCallback(async () => {
    try {
      setPage(await client.listWorkflows({ status, cursor, limit: PAGE_SIZE }));
      setError(null);
    } catch (err) {
      setError(toApiError(err));
    }
  }, [client, status, cursor]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <>
      <div class="page-head">
        <h1 class="grow">Workflows</h1>
        <label class="inline">
          Status
          <select
            name="status"
            value={status}
            onChange={(e) => {
              setStatus((e.currentTarget as HTMLSelectElement).value as WorkflowStatus | "");
              setCursors([null]);
            }}
          >
            <option value="">all</option>
            {WORKFLOW_STATUS_LIST.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        <a class="button primary" href="#/new" style={{ color: "#fff", background: "var(--accent)" }}>
          New workflow
        </a>
      </div>
      <ErrorBox error={error} />
      <div class="panel table-scroll" style={{ padding: 0 }}>
        {page && page.workflows.length === 0 ? (
          <div class="empty">
            {status ? `No ${statusLabel(status)} workflows.` : "No workflows yet."} <a href="#/new">Create one</a>.
          </div>
        ) : (
          <table class="list" data-testid="workflow-list">
            <thead>
              <tr>
                <th>Workflow</th>
                <th>Status</th>
                <th>Steps</th>
                <th>Created</th>
                <th>Updated</th>
                <th>Schedule</th>
              </tr>
            </thead>
            <tbody>
              {(page?.workflows ?? []).map((w) => (
                <tr
                  key={w.id}
                  class="clickable"
                  data-workflow-id={w.id}
                  onClick={() => navigate({ page: "workflow", id: w.id, step: null })}
                >
                  <td>
                    <a href={`#/workflows/${encodeURIComponent(w.id)}`}>
                      <bdi>{w.name ?? "Untitled"}</bdi>
                    </a>
                    <div class="mono small muted">{w.id}</div>
                  </td>
                  <td>
                    <StatusPill status={w.status} />
                  </td>
                  <td>
                    <StepCounts counts={w.step_counts} />
                  </td>
                  <td title={formatTime(w.created_at)}>{formatRelative(w.created_at)}</td>
                  <td title={formatTime(w.updated_at)}>{formatRelative(w.updated_at)}</td>
                  <td class="small">
                    {w.schedule_id ? (
                      <>
                        <span class="mono">{w.schedule_id}</span>
                        <div class="muted">{formatTime(w.scheduled_for)}</div>
                      </>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div class="row" style={{ marginTop: "12px", justifyContent: "flex-end" }}>
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← Newer
        </button>
        <span class="small muted">Page {cursors.length}</span>
        <button
          type="button"
          disabled={!page?.next_cursor}
          onClick={() => page?.next_cursor && setCursors([...cursors, page.next_cursor])}
        >
          Older →
        </button>
      </div>
    </>
  );
}
