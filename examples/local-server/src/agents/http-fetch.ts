/**
 * `http.FETCH`: GET or POST a URL. Shows a plugin that guards what it touches: every address it
 * connects to, including after each redirect, is checked against {@link isBlockedAddress}, unless
 * the host is explicitly allowed (`allowHosts`) or private networks are allowed as a whole.
 * @module
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { type AgentPlugin, defineAction, defineAgent, NonRetryableError } from "@tandem/core";
import { z } from "zod";
import { BlockedAddressError, createSafeLookup, isBlockedAddress } from "./address-policy.js";

export interface HttpFetchOptions {
  /** Hostnames (or IP literals) a step may reach even when they resolve to private addresses. @default [] */
  allowHosts?: string[];
  /** Allow every private, loopback and link-local address. @default false */
  allowPrivateNetworks?: boolean;
  /** Largest response body kept. @default 1 MiB */
  maxBytes?: number;
  /** @default 15000 */
  timeoutMs?: number;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  location: string | undefined;
}

function send(
  url: URL,
  init: {
    method: string;
    body?: string;
    signal: AbortSignal;
    maxBytes: number;
    lookup: ReturnType<typeof createSafeLookup>;
  },
): Promise<Reply> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method,
        signal: init.signal,
        lookup: init.lookup,
        headers: init.body === undefined ? {} : { "content-type": "application/json" },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > init.maxBytes)
            return req.destroy(new NonRetryableError(`response larger than ${init.maxBytes} bytes`));
          chunks.push(chunk);
        });
        res.on("end", () => {
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString("utf8"),
            location: res.headers.location,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** The `http` agent. */
export function createHttpFetchAgent(options: HttpFetchOptions = {}): AgentPlugin {
  const allowed = (host: string) => options.allowPrivateNetworks === true || (options.allowHosts ?? []).includes(host);
  const lookup = createSafeLookup(allowed);
  const fetchAction = defineAction({
    description:
      "GET or POST a URL; returns `status`, `headers` and `body` (parsed when JSON). Private addresses are refused.",
    args: z.object({
      url: z.url({ protocol: /^https?$/ }),
      method: z.enum(["GET", "POST"]).default("GET"),
      body: z.unknown().optional(),
    }),
    outputs: ["status", "body"],
    async run(args, ctx) {
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]);
      let url = new URL(args.url);
      let method: string = args.method;
      let body = args.body === undefined ? undefined : JSON.stringify(args.body);
      for (let hop = 0; hop <= 5; hop++) {
        const host = url.hostname.replace(/^\[|\]$/g, "");
        // IP literals skip DNS, so `lookup` never sees them: check them here.
        if (isIP(host) && !allowed(host) && isBlockedAddress(host))
          throw new NonRetryableError(new BlockedAddressError(host, host).message);
        let reply: Reply;
        try {
          reply = await send(url, { method, body, signal, maxBytes: options.maxBytes ?? 1024 * 1024, lookup });
        } catch (error) {
          if (error instanceof BlockedAddressError) throw new NonRetryableError(error.message);
          throw error;
        }
        if (reply.status >= 300 && reply.status < 400 && reply.location) {
          url = new URL(reply.location, url);
          if (reply.status === 303 || ((reply.status === 301 || reply.status === 302) && method === "POST"))
            [method, body] = ["GET", undefined];
          continue;
        }
        const isJson = reply.headers["content-type"]?.includes("json") ?? false;
        let parsed: unknown = reply.body;
        if (isJson) {
          try {
            parsed = JSON.parse(reply.body);
          } catch {
            // keep the text
          }
        }
        return { status: reply.status, url: url.href, headers: reply.headers, body: parsed };
      }
      throw new NonRetryableError("too many redirects (more than 5)");
    },
  });
  return defineAgent({
    name: "http",
    description: "Fetches URLs on the public internet",
    actions: { FETCH: fetchAction },
  });
}
