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
  /** Replace the record with one an action returned (the API answers every command with the workflow). */
  set(record: WorkflowRecord): void;
  refresh(): Promise<void>;
}

const REFRESH_GAP_MS = 150;
const RETRY_MS = 1500;

/** Follows workflow `id` while it can still move; stops at completed/cancelled/failed and on unmount. */
export function useLiveWorkflow(client: Client, id: string): LiveWorkflow {
  const [workflow, setWorkflow] = useState<WorkflowRecord | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [live, setLive] = useState<LiveState>("connecting");
  const lastEventId = useRef<string | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(async () => {
    try {
      setWorkflow(await client.getWorkflow(id));
      setError(null);
    } catch (err) {
      setError(toApiError(err));
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
    lastEventId.current = null;
    void refresh();
  }, [refresh]);

  const moving = workflow !== null && !isFinished(workflow.status);
  const notFound = error?.status === 404;

  useEffect(() => {
    if (!moving || notFound) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const url = `${client.base}/workflows/${encodeURIComponent(id)}/events`;
    let deleted = false;
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
            deleted = message.event === "workflow.deleted";
            if (!deleted) scheduleRefresh();
          },
        });
        if (deleted || abort.signal.aborted) return;
        // The server closes the stream when the workflow ends: read the final record, and follow on
        // if it did not end after all (a proxy cut the connection).
        const record = await client.getWorkflow(id);
        if (abort.signal.aborted) return;
        setWorkflow(record);
        if (!isFinished(record.status)) timer = setTimeout(connect, RETRY_MS);
      } catch {
        if (abort.signal.aborted) return;
        // Stream refused or dropped: poll once, then try the stream again.
        setLive("polling");
        await refresh();
        if (!abort.signal.aborted) timer = setTimeout(connect, RETRY_MS);
      }
    };
    void connect();
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
    };
  }, [client, id, moving, notFound, refresh, scheduleRefresh]);

  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  // A finished workflow has nothing to follow, whatever the last connection attempt said.
  const shown: LiveState = workflow && isFinished(workflow.status) ? "ended" : live;
  return { workflow, error, live: shown, set: setWorkflow, refresh };
}
