/**
 * A fetch `Request` over an IncomingMessage, built lazily: `method`, `url` and `headers` come
 * straight from the node request, and the real Request (with its body stream and abort signal) is
 * made only when the handler touches `body`, `signal` or a body reader. Most GETs never do, which
 * saves an undici Request, an AbortController and a close listener per request (the trick
 * @hono/node-server uses). `instanceof Request` still holds.
 * @module
 */
import type { IncomingMessage } from "node:http";

/** A node request as hosts leave it: Express adds `originalUrl`, body parsers add `body`. */
export type HostRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/** A body the host already parsed, re-serialised (only once the stream was fully read). */
export function hostBody({ body, readableEnded }: HostRequest): BodyInit | undefined {
  if (body === undefined || !readableEnded) return undefined;
  return typeof body === "string" ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body);
}

/** The request URL; a malformed Host still yields one, so the handler's Host check answers 403. */
export function urlOf(req: HostRequest): URL {
  const path = req.originalUrl ?? req.url ?? "/";
  try {
    return new URL(path, `http://${req.headers.host}`);
  } catch {
    return new URL(path.startsWith("/") ? path : "/", "http://invalid.host");
  }
}

/** Headers of a node request (HTTP/2 pseudo-headers left out). */
export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || key.startsWith(":")) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  return headers;
}

const REAL = Symbol("real");
const STREAM = Symbol("stream");
const URL_OF = Symbol("url");
const HEADER = Symbol("header");

class LazyRequest {
  readonly #req: HostRequest;
  readonly #materialize: () => Request;
  #real: Request | undefined;
  #parsed: URL | undefined;
  #headers: Headers | undefined;

  constructor(req: HostRequest, materialize: () => Request) {
    this.#req = req;
    this.#materialize = materialize;
  }
  [URL_OF](): URL {
    this.#parsed ??= urlOf(this.#req);
    return this.#parsed;
  }
  [HEADER](name: string): string | null {
    if (this.#real) return this.#real.headers.get(name);
    const value = this.#req.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
  /** The node body stream itself, while nothing made the real Request; read it at most once. */
  [STREAM](): AsyncIterable<Uint8Array> | undefined {
    const req = this.#req;
    if (this.#real || req.readableDidRead || hostBody(req) !== undefined) return undefined;
    return req;
  }
  [REAL](): Request {
    this.#real ??= this.#materialize();
    return this.#real;
  }
  get method(): string {
    return this.#req.method ?? "GET";
  }
  get url(): string {
    return this[URL_OF]().href;
  }
  get headers(): Headers {
    if (this.#real) return this.#real.headers;
    this.#headers ??= headersOf(this.#req);
    return this.#headers;
  }
}

const delegated = ["arrayBuffer", "blob", "bytes", "clone", "formData", "json", "text"] as const;
const realGetters = [
  "body",
  "bodyUsed",
  "signal",
  "cache",
  "credentials",
  "destination",
  "integrity",
  "keepalive",
  "mode",
  "redirect",
  "referrer",
  "referrerPolicy",
] as const;
for (const name of delegated) {
  Object.defineProperty(LazyRequest.prototype, name, {
    value(this: LazyRequest, ...args: []) {
      const real = this[REAL]();
      return (real[name] as (...a: []) => unknown).apply(real, args);
    },
  });
}
for (const name of realGetters) {
  Object.defineProperty(LazyRequest.prototype, name, {
    get(this: LazyRequest) {
      return this[REAL]()[name];
    },
  });
}
Object.setPrototypeOf(LazyRequest.prototype, Request.prototype);

/** A Request whose expensive parts (the undici Request, its body stream and signal) are built by `materialize` on first use. */
export function lazyRequest(req: HostRequest, materialize: () => Request): Request {
  return new LazyRequest(req, materialize) as unknown as Request;
}

/** The raw node body of a lazy request that was not materialized, else undefined. */
export function nodeBodyOf(request: Request): AsyncIterable<Uint8Array> | undefined {
  return request instanceof LazyRequest ? request[STREAM]() : undefined;
}

/** `request.headers.get(name)` (lowercase name), without building Headers for a lazy request. */
export function headerOf(request: Request, name: string): string | null {
  return request instanceof LazyRequest ? request[HEADER](name) : request.headers.get(name);
}

/** The parsed URL; a lazy request parses its node URL once. */
export function parsedUrlOf(request: Request): URL {
  return request instanceof LazyRequest ? request[URL_OF]() : new URL(request.url);
}
