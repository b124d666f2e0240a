/**
 * @tandem/http-adapter: Tandem's HTTP routes as one fetch-style handler. Glue for hosts lives in
 * subpaths: `@tandem/http-adapter/node`, `/express`, `/fastify`; Hono mounts the handler directly.
 * @module
 */
export type { RequestIssue } from "./body.js";
export { errorResponse, HttpError, type HttpErrorCode, STATUS_BY_CODE, toErrorResponse } from "./errors.js";
export { checkHost, checkOrigin, LOOPBACK_HOSTS } from "./guards.js";
export { createHandler } from "./handler.js";
export { RESERVED_SEGMENTS } from "./router.js";
export { formatEvent } from "./routes/events.js";
export type { FetchHandler, HandlerOptions } from "./types.js";
