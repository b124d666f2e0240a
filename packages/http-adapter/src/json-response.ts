/**
 * JSON responses built lazily. A `JsonResponse` is a `Response` (`instanceof` holds, every property
 * and method works), but the undici Response behind it, with its Headers and body stream, is made
 * only when something reads it. The node glue writes status, headers and text straight to the
 * socket instead, which is most of the cost of a small JSON answer. Same idea as @hono/node-server.
 * @module
 */

const REAL = Symbol("real");

class JsonResponse {
  readonly #status: number;
  readonly #headers: Record<string, string>;
  readonly #text: string;
  #real: Response | undefined;

  constructor(status: number, text: string, headers: Record<string, string>) {
    this.#status = status;
    this.#text = text;
    this.#headers = headers;
  }
  [REAL](): Response {
    this.#real ??= new Response(this.#text, { status: this.#status, headers: this.#headers });
    return this.#real;
  }
  /** Status, headers and text while nothing has touched the real Response, else undefined. */
  raw(): { status: number; headers: Record<string, string>; text: string } | undefined {
    return this.#real ? undefined : { status: this.#status, headers: this.#headers, text: this.#text };
  }
  get status(): number {
    return this.#status;
  }
  get ok(): boolean {
    return this.#status >= 200 && this.#status < 300;
  }
}

for (const name of ["arrayBuffer", "blob", "bytes", "clone", "formData", "json", "text"] as const) {
  Object.defineProperty(JsonResponse.prototype, name, {
    value(this: JsonResponse, ...args: []) {
      const real = this[REAL]();
      return (real[name] as (...a: []) => unknown).apply(real, args);
    },
  });
}
for (const name of ["body", "bodyUsed", "headers", "redirected", "statusText", "type", "url"] as const) {
  Object.defineProperty(JsonResponse.prototype, name, {
    get(this: JsonResponse) {
      return this[REAL]()[name];
    },
  });
}
Object.setPrototypeOf(JsonResponse.prototype, Response.prototype);

/** A Response whose undici object is only built when read. */
export function jsonResponse(status: number, text: string, headers: Record<string, string>): Response {
  return new JsonResponse(status, text, headers) as unknown as Response;
}

/** Status, headers and body text of an untouched {@link jsonResponse}; undefined for anything else. */
export function rawJsonOf(
  response: Response,
): { status: number; headers: Record<string, string>; text: string } | undefined {
  return response instanceof JsonResponse ? response.raw() : undefined;
}
