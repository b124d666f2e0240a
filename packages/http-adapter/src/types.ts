/**
 * Options of {@link createHandler} and the context each route receives.
 * @module
 */
import type { Engine, Logger, Planner, Scheduler } from "@tandem/core";

/** A fetch-style handler: what every host glue calls. */
export type FetchHandler = (request: Request) => Promise<Response>;

export interface HandlerOptions {
  /** The engine whose workflows the routes expose. */
  engine: Engine;
  /** Enables `POST /workflows/generate` and the wizard; without it they answer 503 `llm_unavailable`. */
  planner?: Planner;
  /** Enables `/workflows/recurring`; without it those routes answer 503 `scheduler_unavailable`. */
  scheduler?: Scheduler;
  /** Prefix the routes live under. A host that already stripped it (Hono `mount`) works too. @default "/api" */
  basePath?: string;
  /** When set, every route requires `Authorization: Bearer <token>` (compared in constant time). */
  token?: string;
  /**
   * Accepted `Host` headers: `name` (any port), `name:port`, `*.suffix`, or `"*"` for any.
   * @default ["localhost", "127.0.0.1", "[::1]"]
   */
  allowedHosts?: readonly string[];
  /** Cross-origin callers allowed (CORS headers are sent only for these). Same-origin is always allowed. @default [] */
  allowedOrigins?: readonly string[];
  /** Largest request body in bytes. @default 1 MiB */
  bodyLimit?: number;
  /** Deepest JSON nesting accepted in a body. @default 64 */
  maxDepth?: number;
  /**
   * Defaults merged under the variables of every workflow, schedule, generation and wizard created
   * through these routes (a request's own variables win). The local server fills it from `TANDEM_VAR_*`.
   * @default {}
   */
  variables?: Readonly<Record<string, unknown>>;
  /** Where unexpected errors are logged. @default the engine's logger */
  logger?: Logger;
}

/** Options with defaults applied. */
export interface ResolvedOptions extends Required<Omit<HandlerOptions, "planner" | "scheduler" | "token">> {
  planner: Planner | undefined;
  scheduler: Scheduler | undefined;
  token: string | undefined;
}

/** What a route handler receives. */
export interface RouteContext {
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body of a POST, `undefined` when empty. Routes validate it themselves. */
  body: unknown;
  options: ResolvedOptions;
}

export type RouteHandler = (context: RouteContext) => Promise<Response>;
