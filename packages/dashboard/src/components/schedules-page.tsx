import type { ScheduleRecord } from "@tandem/core";
import { useCallback, useEffect, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import { useClient } from "../lib/client-context";
import { formatRelative, formatTime } from "../lib/format";
import { navigate } from "../lib/route";
import { ErrorBox } from "./error-box";
import { ScheduleForm } from "./schedule-form";

/** One schedule's row with its commands; delete asks for a second click. */
function ScheduleRow(props: { schedule: ScheduleRecord; onDone: () => void; onError: (e: ApiError | null) => void }) {
  const { schedule: s, onDone, onError } = props;
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    onError(null);
    try {
      await fn();
      onDone();
    } catch (err) {
      onError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <tr data-schedule-id={s.id}>
      <td>
        <bdi>{s.name ?? "Untitled"}</bdi>
        <div class="mono small muted">{s.id}</div>
      </td>
      <td class="mono">{s.cron}</td>
      <td>{s.timezone}</td>
      <td title={formatTime(s.next_run_at)}>
        {s.paused ? <span class="muted">paused</span> : formatTime(s.next_run_at, s.timezone)}
        {!s.paused && s.next_run_at ? <div class="small muted">{formatRelative(s.next_run_at)}</div> : null}
      </td>
      <td>
        {formatTime(s.last_run_at, s.timezone)}
        {s.last_workflow_id ? (
          <div class="small">
            <a href={`#/workflows/${encodeURIComponent(s.last_workflow_id)}`}>last run</a>
          </div>
        ) : null}
      </td>
      <td>
        <div class="row">
          <button
            type="button"
            disabled={busy}
            onClick={() => act(() => (s.paused ? client.resumeSchedule(s.id) : client.pauseSchedule(s.id)))}
          >
            {s.paused ? "Resume" : "Pause"}
          </button>
          <button
            type="button"
            disabled={busy}
            title="Create a run now, outside the cron"
            onClick={() =>
              act(async () => {
                const { workflow_id } = await client.runSchedule(s.id);
                navigate({ page: "workflow", id: workflow_id, step: null });
              })
            }
          >
            Run now
          </button>
          <button
            type="button"
            class={confirm ? "danger confirm" : "danger"}
            disabled={busy}
            onBlur={() => setConfirm(false)}
            onClick={() => (confirm ? act(() => client.deleteSchedule(s.id)) : setConfirm(true))}
          >
            {confirm ? "Really delete?" : "Delete"}
          </button>
        </div>
      </td>
    </tr>
  );
}

/** Schedules with next and last run; create, pause/resume, delete. */
export function SchedulesPage() {
  const client = useClient();
  const [schedules, setSchedules] = useState<ScheduleRecord[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<ScheduleRecord | null>(null);
  const [showForm, setShowForm] = useState(false);

  // The notice about a saved schedule goes once the list no longer has it (deleted here or elsewhere).
  const savedShown = saved && schedules?.some((s) => s.id === saved.id) ? saved : null;

  const load = useCallback(async () => {
    try {
      setSchedules((await client.listSchedules()).schedules);
    } catch (err) {
      setError(toApiError(err));
    }
  }, [client]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 10_000);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <>
      <div class="page-head">
        <h1 class="grow">Schedules</h1>
        <button type="button" class="primary" onClick={() => setShowForm(!showForm)}>
          {showForm ? "Close" : "New schedule"}
        </button>
      </div>
      <ErrorBox error={error} onClose={() => setError(null)} />
      {savedShown ? (
        <div class="notice" style={{ marginBottom: "12px" }}>
          Saved <span class="mono">{savedShown.id}</span>: next run{" "}
          {formatTime(savedShown.next_run_at, savedShown.timezone)} ({savedShown.timezone}).
        </div>
      ) : null}
      {showForm ? (
        <div style={{ marginBottom: "16px" }}>
          <ScheduleForm
            onSaved={(s) => {
              setSaved(s);
              setShowForm(false);
              void load();
            }}
          />
        </div>
      ) : null}
      <div class="panel table-scroll" style={{ padding: 0 }}>
        {schedules && schedules.length === 0 ? (
          <div class="empty">No schedules.</div>
        ) : (
          <table class="list" data-testid="schedule-list">
            <thead>
              <tr>
                <th>Schedule</th>
                <th>Cron</th>
                <th>Timezone</th>
                <th>Next run</th>
                <th>Last run</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(schedules ?? []).map((s) => (
                <ScheduleRow key={s.id} schedule={s} onDone={load} onError={setError} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
