/**
 * `web_search.SEARCH_WEB`: a plugin in ~60 lines. A plugin is a plain object: a name, and actions,
 * each with a description, a zod schema of its args (checked before the workflow runs) and
 * `run(args, ctx)`. Throw to fail an attempt (the step's retry policy applies); throw
 * `NonRetryableError` when retrying cannot help. Always pass `ctx.signal` on: it is how interrupt,
 * cancel, timeouts and shutdown reach your work.
 * @module
 */
import { type AgentPlugin, defineAction, defineAgent, NonRetryableError } from "@tandem/core";
import { z } from "zod";

export interface WebSearchOptions {
  /** Base URL of a SearXNG-compatible server (`/search?q=..&format=json` is appended). */
  searchUrl?: string;
  /** @default 15000 */
  timeoutMs?: number;
}

/** One search hit, as published in the step's `results` output. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

function searchEndpoint(base: string, query: string): URL {
  const url = new URL(base);
  if (!url.pathname.endsWith("/search")) url.pathname = `${url.pathname.replace(/\/+$/, "")}/search`;
  url.searchParams.set("q", query);
  url.searchParams.set("format", "json");
  return url;
}

/** The `web_search` agent. */
export function createWebSearchAgent(options: WebSearchOptions = {}): AgentPlugin {
  const searchWeb = defineAction({
    description: "Search the web; returns `results`, a list of { title, url, snippet }.",
    args: z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(50).default(10) }),
    outputs: ["results"],
    async run(args, ctx) {
      if (!options.searchUrl) {
        throw new NonRetryableError("SEARCH_URL is not set: point it at a SearXNG server with the JSON format enabled");
      }
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)]);
      const response = await fetch(searchEndpoint(options.searchUrl, args.query), {
        signal,
        headers: { accept: "application/json" },
      });
      if (!response.ok) {
        const message = `search server answered ${response.status} ${response.statusText}`;
        // 4xx will not get better by retrying; 5xx might.
        throw response.status < 500 ? new NonRetryableError(message) : new Error(message);
      }
      const data = (await response.json()) as { results?: Record<string, unknown>[] };
      const results: SearchResult[] = (data.results ?? []).slice(0, args.limit).map((r) => ({
        title: String(r.title ?? ""),
        url: String(r.url ?? ""),
        snippet: String(r.content ?? r.snippet ?? ""),
      }));
      ctx.logger.info("search done", { query: args.query, results: results.length });
      return { results };
    },
  });
  return defineAgent({
    name: "web_search",
    description: "Web search through a SearXNG-compatible JSON endpoint",
    actions: { SEARCH_WEB: searchWeb },
  });
}
