/**
 * Glue for node:http (and anything built on it). For adapter authors: import only the public
 * `FetchHandler` type from "@tandem/http-adapter"; convert the host's request with {@link toRequest},
 * call the handler, write with {@link writeResponse}. A body the host already parsed (`req.body`,
 * as set by express.json()) is re-serialised so the handler's size, depth and key checks still apply.
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { rawJsonOf } from "./json-response.js";
import { type HostRequest, headersOf, hostBody, lazyRequest, urlOf } from "./node-request.js";
import type { FetchHandler } from "./types.js";

/** An IncomingMessage as a fetch `Request`; its signal aborts when the client goes away. */
export function toRequest(req: HostRequest, res?: ServerResponse): Request {
  const headers = headersOf(req);
  const controller = new AbortController();
  res?.on("close", () => res.writableFinished || controller.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = hostBody(req);
    if (body !== undefined) {
      init.body = body;
      headers.delete("content-length");
    } else if (!req.readableDidRead) {
      // Unread: undici reads any async iterable. Read already (the lazy path did): no body left.
      init.body = req as unknown as ReadableStream<Uint8Array>;
      init.duplex = "half";
    }
  }
  return new Request(urlOf(req), init);
}

/** Writes a fetch `Response` to a ServerResponse, streaming its body (SSE headers go out at once). */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const raw = rawJsonOf(response);
  if (raw !== undefined) return void res.writeHead(raw.status, raw.headers).end(raw.text);
  res.statusCode = response.status;
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") res.setHeader(key, value);
  });
  if (response.headers.has("set-cookie")) res.setHeader("set-cookie", response.headers.getSetCookie());
  if (response.body === null) return void res.end();
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) res.flushHeaders();
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), res);
  } catch {
    // The client went away mid-stream; the handler has already been told through request.signal.
  }
}

/**
 * A node:http request listener. `next`, when given (Connect/Express style), receives glue failures.
 * @example http.createServer(toNodeListener(createHandler({ engine }))).listen(8000, "127.0.0.1")
 */
export function toNodeListener(handler: FetchHandler) {
  return async (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> => {
    try {
      const lazy = lazyRequest(req, () => toRequest(req, res));
      await writeResponse(await handler(lazy), res);
    } catch (error) {
      if (next) return next(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  };
}
