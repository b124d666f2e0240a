/**
 * `createHandler`: Tandem's HTTP routes as one fetch-style function `(Request) => Promise<Response>`.
 * Order per request: Host allowlist (before routing, every method) → CORS preflight → Origin → bearer
 * token → routing (404/405) → for POST: Content-Type, size-limited read, JSON depth and key checks →
 * the route, which validates with zod. Every error is `{ error: { code, message, details? } }`.
 * @module
 */
import { HttpError, toErrorResponse } from "./errors.js";
import {
  checkHost,
  checkJsonContentType,
  checkOrigin,
  createTokenCheck,
  LOOPBACK_HOSTS,
  parseJson,
  readBody,
} from "./guards.js";
import { parsedUrlOf } from "./node-request.js";
import { createRouter, type Route } from "./router.js";
import { listAgents } from "./routes/agents.js";
import { streamEvents } from "./routes/events.js";
import { openapiDocument } from "./routes/openapi.js";
import * as recurring from "./routes/recurring.js";
import { generate, wizardChat, wizardStart } from "./routes/wizard.js";
import * as workflows from "./routes/workflows.js";
import type { FetchHandler, HandlerOptions, ResolvedOptions, RouteHandler } from "./types.js";

const ROUTES: Route<RouteHandler>[] = [
  { method: "GET", path: "/workflows", handler: workflows.listWorkflows },
  { method: "POST", path: "/workflows", handler: workflows.createWorkflow },
  { method: "POST", path: "/workflows/generate", handler: generate },
  { method: "POST", path: "/workflows/wizard/start", handler: wizardStart },
  { method: "POST", path: "/workflows/wizard/chat", handler: wizardChat },
  { method: "GET", path: "/workflows/recurring", handler: recurring.listSchedules },
  { method: "POST", path: "/workflows/recurring", handler: recurring.createSchedule },
  { method: "GET", path: "/workflows/recurring/:id", handler: recurring.getSchedule },
  { method: "DELETE", path: "/workflows/recurring/:id", handler: recurring.deleteSchedule },
  { method: "POST", path: "/workflows/recurring/:id/pause", handler: recurring.pauseSchedule },
  { method: "POST", path: "/workflows/recurring/:id/resume", handler: recurring.resumeSchedule },
  { method: "POST", path: "/workflows/recurring/:id/run", handler: recurring.runSchedule },
  { method: "GET", path: "/workflows/recurring/:id/firings", handler: recurring.listFirings },
  { method: "GET", path: "/workflows/:id", handler: workflows.getWorkflow },
  { method: "DELETE", path: "/workflows/:id", handler: workflows.deleteWorkflow },
  { method: "POST", path: "/workflows/:id/interrupt", handler: workflows.interruptWorkflow },
  { method: "POST", path: "/workflows/:id/resume", handler: workflows.resumeWorkflow },
  { method: "POST", path: "/workflows/:id/intervene", handler: workflows.interveneWorkflow },
  { method: "GET", path: "/workflows/:id/events", handler: streamEvents },
  { method: "GET", path: "/agents", handler: listAgents },
  { method: "GET", path: "/openapi.json", handler: openapiDocument },
];

const match = createRouter(ROUTES);

function resolveOptions(options: HandlerOptions): ResolvedOptions {
  if (typeof options?.engine?.getWorkflow !== "function")
    throw new TypeError("Expected `engine` to be a Tandem engine");
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1)
    throw new TypeError(`Expected \`bodyLimit\` to be a positive integer, got ${bodyLimit}`);
  const maxDepth = options.maxDepth ?? 64;
  if (!Number.isInteger(maxDepth) || maxDepth < 1)
    throw new TypeError(`Expected \`maxDepth\` to be a positive integer, got ${maxDepth}`);
  if (options.token !== undefined && options.token.length < 8)
    throw new TypeError("Expected `token` to have at least 8 characters");
  const basePath = (options.basePath ?? "/api").replace(/\/+$/, "");
  if (basePath !== "" && !basePath.startsWith("/"))
    throw new TypeError(`Expected \`basePath\` to start with "/", got ${basePath}`);
  return {
    engine: options.engine,
    planner: options.planner,
    scheduler: options.scheduler,
    basePath,
    token: options.token,
    allowedHosts: options.allowedHosts ?? LOOPBACK_HOSTS,
    allowedOrigins: options.allowedOrigins ?? [],
    bodyLimit,
    maxDepth,
    variables: options.variables ?? {},
    logger: options.logger ?? options.engine.logger,
  };
}

/** The path relative to `basePath`; a path the host already stripped is taken as it is. */
function relativePath(pathname: string, basePath: string): string {
  if (basePath === "") return pathname;
  if (pathname === basePath) return "/";
  if (pathname.startsWith(`${basePath}/`)) return pathname.slice(basePath.length);
  return pathname;
}

function corsHeaders(origin: string | null): Record<string, string> {
  if (origin === null) return {};
  return { "access-control-allow-origin": origin, vary: "Origin" };
}

const PREFLIGHT_HEADERS = {
  "access-control-allow-methods": "GET, POST, DELETE",
  "access-control-allow-headers": "authorization, content-type, last-event-id",
  "access-control-max-age": "600",
};

/** Guards, routing, body reading and the route itself; fills `cors` once the Origin is known. */
async function serve(
  request: Request,
  options: ResolvedOptions,
  checkToken: ((request: Request) => void) | undefined,
  cors: Record<string, string>,
): Promise<Response> {
  checkHost(request, options.allowedHosts);
  const url = parsedUrlOf(request);
  const crossOrigin = checkOrigin(request, options.allowedOrigins);
  Object.assign(cors, corsHeaders(crossOrigin));
  if (request.method === "OPTIONS" && crossOrigin !== null) {
    return new Response(null, { status: 204, headers: { ...cors, ...PREFLIGHT_HEADERS } });
  }
  checkToken?.(request);
  const found = match(request.method, relativePath(url.pathname, options.basePath));
  if (found.kind === "not_found") throw new HttpError("not_found", `No route for ${request.method} ${url.pathname}`);
  if (found.kind === "method_not_allowed") {
    const allow = found.allow.join(", ");
    throw new HttpError("method_not_allowed", `${request.method} is not allowed here`, undefined, { allow });
  }
  let body: unknown;
  if (request.method === "POST") {
    checkJsonContentType(request);
    body = parseJson(await readBody(request, options.bodyLimit), options.maxDepth);
  }
  return found.handler({ request, params: found.params, query: url.searchParams, body, options });
}

/**
 * Builds the handler.
 * @example
 * const handler = createHandler({ engine });
 * http.createServer(toNodeListener(handler)).listen(8000, "127.0.0.1");
 * @throws TypeError on bad options
 */
export function createHandler(options: HandlerOptions): FetchHandler {
  const resolved = resolveOptions(options);
  const checkToken = resolved.token === undefined ? undefined : createTokenCheck(resolved.token);
  return async (request) => {
    const cors: Record<string, string> = {};
    let response: Response;
    try {
      response = await serve(request, resolved, checkToken, cors);
    } catch (error) {
      response = toErrorResponse(error, resolved.logger);
    }
    for (const [k, v] of Object.entries(cors)) response.headers.set(k, v);
    return response;
  };
}
