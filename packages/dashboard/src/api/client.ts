/**
 * The dashboard's only way to the server: the documented HTTP routes, same origin, JSON in and out.
 * @module
 */
import type {
  AgentCatalogEntry,
  Intervention,
  ScheduleRecord,
  StepInput,
  WorkflowRecord,
  WorkflowStatus,
  WorkflowSummary,
} from "@tandem/core";
import { ApiError } from "./api-error";

/** Where the bearer token lives between requests (sessionStorage in the browser). */
export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Prefix of the routes. @default "/api" */
  base?: string;
  tokens: TokenStore;
  /** Asked once when the server answers 401; resolves to a token to retry with, or null to give up. */
  askToken?: (reason: string) => Promise<string | null>;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A page of `GET /workflows`. */
export interface WorkflowPage {
  workflows: WorkflowSummary[];
  next_cursor: string | null;
}

/** The wizard's answer to start and chat. */
export interface WizardTurn {
  session_id: string;
  reply: string;
  steps: StepInput[] | null;
  ready: boolean;
  workflow?: WorkflowRecord;
}

/** Body of `POST /workflows/recurring`. */
export interface ScheduleInputBody {
  cron: string;
  timezone?: string;
  name?: string;
  steps?: StepInput[];
  workflow_id?: string;
  variables?: Record<string, unknown>;
  overlap?: "skip" | "allow";
  catch_up?: "skip" | "latest" | "all";
}

export type Client = ReturnType<typeof createClient>;

/** Builds the typed client; every failure is thrown as an {@link ApiError}. */
export function createClient(options: ClientOptions) {
  const base = options.base ?? "/api";
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  async function send(method: string, path: string, body?: unknown, retried = false): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const token = options.tokens.get();
    if (token) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError(0, "network_error", `The server did not answer (${String(err)}).`);
    }
    if (res.status === 401 && !retried && options.askToken) {
      const error = await ApiError.fromResponse(res);
      const next = await options.askToken(token ? "The token was refused." : error.message);
      if (next) {
        options.tokens.set(next);
        return send(method, path, body, true);
      }
      throw error;
    }
    if (!res.ok) throw await ApiError.fromResponse(res);
    return res;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await send(method, path, body);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  const wf = (id: string) => `/workflows/${encodeURIComponent(id)}`;
  const schedule = (id: string) => `/workflows/recurring/${encodeURIComponent(id)}`;

  return {
    /** Headers for requests made outside this client (the SSE stream). */
    authHeaders(): Record<string, string> {
      const token = options.tokens.get();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
    base,
    listWorkflows(query: { status?: WorkflowStatus | ""; cursor?: string | null; limit?: number } = {}) {
      const params = new URLSearchParams();
      if (query.status) params.set("status", query.status);
      if (query.cursor) params.set("cursor", query.cursor);
      params.set("limit", String(query.limit ?? 25));
      return json<WorkflowPage>("GET", `/workflows?${params}`);
    },
    getWorkflow: (id: string) => json<WorkflowRecord>("GET", wf(id)),
    createWorkflow: (body: unknown) => json<WorkflowRecord>("POST", "/workflows", body),
    generate: (body: { prompt: string; variables?: Record<string, unknown>; start?: boolean }) =>
      json<{ workflow: WorkflowRecord; attempts: number }>("POST", "/workflows/generate", body),
    interrupt: (id: string) => json<WorkflowRecord>("POST", `${wf(id)}/interrupt`, {}),
    resume: (id: string) => json<WorkflowRecord>("POST", `${wf(id)}/resume`, {}),
    intervene: (id: string, body: Intervention) => json<WorkflowRecord>("POST", `${wf(id)}/intervene`, body),
    deleteWorkflow: (id: string) => json<void>("DELETE", wf(id)),
    wizardStart: (message?: string) => json<WizardTurn>("POST", "/workflows/wizard/start", message ? { message } : {}),
    wizardChat: (body: { session_id: string; message?: string; confirm?: boolean }) =>
      json<WizardTurn>("POST", "/workflows/wizard/chat", body),
    listSchedules: () => json<{ schedules: ScheduleRecord[] }>("GET", "/workflows/recurring"),
    createSchedule: (body: ScheduleInputBody) => json<ScheduleRecord>("POST", "/workflows/recurring", body),
    deleteSchedule: (id: string) => json<void>("DELETE", schedule(id)),
    pauseSchedule: (id: string) => json<ScheduleRecord>("POST", `${schedule(id)}/pause`, {}),
    resumeSchedule: (id: string) => json<ScheduleRecord>("POST", `${schedule(id)}/resume`, {}),
    /** Fires the schedule now, outside its cron. */
    runSchedule: (id: string) => json<{ workflow_id: string }>("POST", `${schedule(id)}/run`, {}),
    async agents(): Promise<AgentCatalogEntry[]> {
      const body = await json<AgentCatalogEntry[] | { agents: AgentCatalogEntry[] }>("GET", "/agents");
      return Array.isArray(body) ? body : body.agents;
    },
  };
}
