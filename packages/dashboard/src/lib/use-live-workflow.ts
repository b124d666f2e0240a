/**
 * A workflow kept up to date through its event stream: each event triggers a (throttled) re-read of the
 * workflow, so the page always shows the server's record rather than a client-side replay of events.
 * @module
 */
import type { WorkflowRecord } from "@tandem/core";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, toApiError } from "../api/api-error";
import type { Client } from "../api/client";
import { readEventStream } from "../api/sse";
import { isFinished } from "./format";

/** How the page is following the workflow, shown in the header. */
export type LiveState = "connecting" | "live" | "polling" | "ended";

export interface LiveWorkflow {
  workflow: WorkflowRecord | null;
  error: ApiError | null;
  live: LiveState;
  /** The server no longer has it: a re-read answered 404 or the stream said `workflow.deleted`. */
  deleted: boolean;
  /** Replace the record with one an action returned (the API answers every command with the workflow). */
  set(record: WorkflowRecord): void;
  /** Re-reads the workflow; resolves to null when that failed. */
  refresh(): Promise<WorkflowRecord | null>;
}

const REFRESH_GAP_MS = 150;
const RETRY_MS = 1500;

/** Follows workflow `id` while it can still move; stops at completed/cancelled/failed and on unmount. */
export function useLiveWorkflow(client: Client, id: string): LiveWorkflow {
  const [workflow, setWorkflow] = useState<WorkflowRecord | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [live, setLive] = useState<LiveState>("connecting");
  const [deleted, setDeleted] = useState(false);
  const lastEventId = useRef<string | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** Re-reads the workflow; null when that failed (the error is shown, a 404 marks it deleted). */
  const refresh = useCallback(async (): Promise<WorkflowRecord | null> => {
    try {
      const record = await client.getWorkflow(id);
      setWorkflow(record);
      setError(null);
      return record;
    } catch (err) {
      const apiError = toApiError(err);
      setError(apiError);
      if (apiError.status === 404) setDeleted(true);
      return null;
    }
  }, [client, id]);

  // Bursts of events (a fan-out finishing) become one GET.
  const scheduleRefresh = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void refresh();
    }, REFRESH_GAP_MS);
  }, [refresh]);

  useEffect(() => {
    setWorkflow(null);
    setError(null);
    setDeleted(false);
    lastEventId.current = null;
    void refresh();
  }, [refresh]);

  const moving = workflow !== null && !isFinished(workflow.status);

  useEffect(() => {
    if (!moving || deleted) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const url = `${client.base}/workflows/${encodeURIComponent(id)}/events`;
    let sawDeleted = false;
    const connect = async (): Promise<void> => {
      setLive("connecting");
      try {
        await readEventStream(url, {
          headers: client.authHeaders(),
          lastEventId: lastEventId.current,
          signal: abort.signal,
          onOpen: () => setLive("live"),
          onMessage: (message) => {
            if (message.id) lastEventId.current = message.id;
            sawDeleted = message.event === "workflow.deleted";
            if (!sawDeleted) scheduleRefresh();
          },
        });
        if (abort.signal.aborted) return;
        if (sawDeleted) return setDeleted(true);
        // The server closes the stream when the workflow ends: read the final record (a 404 means it
        // was deleted), and follow on if it did not end after all (a proxy cut the connection).
        const record = await refresh();
        if (abort.signal.aborted || !record || isFinished(record.status)) return;
        timer = setTimeout(connect, RETRY_MS);
      } catch {
        if (abort.signal.aborted) return;
        // Stream refused or dropped: poll once, then try the stream again.
        setLive("polling");
        await refresh(); // a 404 here marks the workflow deleted, which ends this effect
        if (!abort.signal.aborted) timer = setTimeout(connect, RETRY_MS);
      }
    };
    void connect();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, id, moving, deleted, refresh, scheduleRefresh]);

  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  // A finished workflow has nothing to follow, whatever the last connection attempt said.
  const shown: LiveState = workflow && isFinished(workflow.status) ? "ended" : live;
  return { workflow, error, live: shown, deleted, set: setWorkflow, refresh };
}
