/**
 * Glue for Express 5. For adapter authors: Express is imported as types only, so it stays an optional
 * peer; the work is done by the node glue, which reads `req.originalUrl` (the handler strips its own
 * `basePath`) and reuses a body that `express.json()` already parsed.
 * @example
 * app.use("/api", toExpressMiddleware(createHandler({ engine })));
 * @module
 */
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { toNodeListener } from "./node.js";
import type { FetchHandler } from "./types.js";

/** An Express middleware serving Tandem's routes; glue failures go to `next`. */
export function toExpressMiddleware(handler: FetchHandler) {
  const listener = toNodeListener(handler);
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    void listener(req, res, next);
  };
}
