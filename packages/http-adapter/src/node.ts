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
import type { FetchHandler } from "./types.js";

type HostRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

function hostBody({ body, readableEnded }: HostRequest): BodyInit | undefined {
  if (body === undefined || !readableEnded) return undefined;
  return typeof body === "string" ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body);
}

function urlOf(req: HostRequest): URL {
  const path = req.originalUrl ?? req.url ?? "/";
  // A malformed Host still yields a Request, so the handler's Host check answers 403 (not a crash).
  return URL.canParse(path, `http://${req.headers.host}`)
    ? new URL(path, `http://${req.headers.host}`)
    : new URL(path.startsWith("/") ? path : "/", "http://invalid.host");
}

/** An IncomingMessage as a fetch `Request`; its signal aborts when the client goes away. */
export function toRequest(req: HostRequest, res?: ServerResponse): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || key.startsWith(":")) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  const controller = new AbortController();
  res?.on("close", () => res.writableFinished || controller.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = hostBody(req);
    if (body !== undefined) {
      init.body = body;
      headers.delete("content-length");
    } else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = "half";
    }
  }
  return new Request(urlOf(req), init);
}

/** Writes a fetch `Response` to a ServerResponse, streaming its body (SSE headers go out at once). */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => key === "set-cookie" || res.setHeader(key, value));
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
      await writeResponse(await handler(toRequest(req, res)), res);
    } catch (error) {
      if (next) return next(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  };
}
