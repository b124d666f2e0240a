/**
 * Checks that keep a local API safe (SPEC "Defaults that keep a local API safe"): Host allowlist
 * against DNS rebinding, Origin refusal against browser CSRF, JSON-only POST, a constant-time bearer
 * token, a body size limit counted while reading, and JSON depth and prototype-key limits.
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ID_PATTERN } from "@tandem/core";
import { HttpError } from "./errors.js";
import { headerOf, nodeBodyOf, parsedUrlOf } from "./node-request.js";

/** Hostnames that always mean "this machine". */
export const LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "[::1]"];

/** Keys that could reach an object's prototype when merged naively. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Refuses a `Host` header outside the allowlist. Entries are `name` (any port) or `name:port`;
 * `"*"` allows any host (behind a reverse proxy that checks it).
 */
export function checkHost(request: Request, allowedHosts: readonly string[]): void {
  if (allowedHosts.includes("*")) return;
  const host = (headerOf(request, "host") ?? parsedUrlOf(request).host).toLowerCase();
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  const allowed = allowedHosts.some((entry) => {
    const e = entry.toLowerCase();
    return e === host || e === name || (e.startsWith("*.") && name.endsWith(e.slice(1)));
  });
  if (!allowed) throw new HttpError("forbidden_host", `Host "${host}" is not allowed`);
}

/**
 * Refuses a present `Origin` that is neither this server's own origin (same Host, already checked)
 * nor listed in `allowedOrigins`. Returns the origin to echo in CORS headers, if any.
 */
export function checkOrigin(request: Request, allowedOrigins: readonly string[]): string | null {
  const origin = headerOf(request, "origin");
  if (origin === null) return null;
  const host = headerOf(request, "host");
  const protocol = parsedUrlOf(request).protocol;
  if (host !== null && (origin === `${protocol}//${host}` || origin === `http://${host}`)) return null;
  if (allowedOrigins.includes(origin) || allowedOrigins.includes("*")) return origin;
  throw new HttpError("forbidden_origin", `Origin "${origin}" is not allowed`);
}

/** Compares a bearer token in constant time (fixed-length digests, so length does not leak). */
export function createTokenCheck(token: string): (request: Request) => void {
  const expected = createHash("sha256").update(token).digest();
  return (request) => {
    const header = headerOf(request, "authorization") ?? "";
    const match = /^Bearer[ ]+(.+)$/i.exec(header);
    const given = createHash("sha256")
      .update(match?.[1]?.trim() ?? "")
      .digest();
    if (!match || !timingSafeEqual(expected, given)) {
      throw new HttpError("unauthorized", "A valid bearer token is required", undefined, {
        "www-authenticate": 'Bearer realm="tandem"',
      });
    }
  };
}

/** POST bodies must be `application/json` (a cross-site form cannot send that without preflight). */
export function checkJsonContentType(request: Request): void {
  const type = (headerOf(request, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new HttpError("unsupported_media_type", "POST bodies must have Content-Type: application/json");
  }
}

/**
 * Reads the body as text, counting bytes as they arrive; never trusts Content-Length alone. Under
 * the node glue it reads the socket stream directly. Beyond the limit it stops reading and answers
 * 413 with `Connection: close` (destroying the request would reset the socket before the answer).
 */
export async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(headerOf(request, "content-length") ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  const nodeBody = nodeBodyOf(request);
  const source: AsyncIterable<Uint8Array> | null = nodeBody ?? (request.body as AsyncIterable<Uint8Array> | null);
  if (source === null) return "";
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      if (nodeBody === undefined) await iterator.return?.().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  } catch {
    throw new HttpError("invalid_request", "The body is not valid UTF-8");
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError("payload_too_large", `The body exceeds the limit of ${limit} bytes`, undefined, {
    connection: "close",
  });
}

/**
 * Parses JSON and refuses nesting deeper than `maxDepth` and keys that reach prototypes. An empty
 * body is `undefined`. The walk is iterative so a hostile document cannot overflow the stack.
 */
export function parseJson(text: string, maxDepth: number): unknown {
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError("invalid_request", `The body is not valid JSON: ${(error as Error).message}`);
  }
  const stack: [unknown, number, (string | number)[]][] = [[value, 1, []]];
  while (stack.length > 0) {
    const [node, depth, path] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > maxDepth) {
      throw new HttpError("invalid_request", `The body nests deeper than ${maxDepth} levels`, [
        { path, code: "too_deep", message: `nesting deeper than ${maxDepth}` },
      ]);
    }
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : Object.entries(node);
    for (const [key, child] of entries) {
      if (typeof key === "string" && FORBIDDEN_KEYS.has(key)) {
        throw new HttpError("invalid_request", `The key "${key}" is not allowed`, [
          { path: [...path, key], code: "forbidden_key", message: `key "${key}" is not allowed` },
        ]);
      }
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1, [...path, key]]);
    }
  }
  return value;
}

/** Path ids are checked before any lookup. */
export function checkId(id: string, what = "id"): string {
  if (!ID_PATTERN.test(id)) {
    throw new HttpError("invalid_request", `The ${what} "${id.slice(0, 80)}" is not a valid id`, [
      { path: [what], code: "invalid_id", message: "must match [A-Za-z0-9_-]{1,64}" },
    ]);
  }
  return id;
}
