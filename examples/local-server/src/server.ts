/**
 * `createLocalServer`: the engine with SQLite history, the example agents, the API under `/api`,
 * the dashboard at `/`, readable logs, and a graceful `close()`. `main.ts` only reads the
 * environment and wires signals; tests call this in-process on port 0.
 * @module
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createEngine,
  createScheduler,
  type Engine,
  type Logger,
  type Planner,
  type Scheduler,
  type Store,
} from "@tandem/core";
import {
  checkHost,
  checkOrigin,
  createHandler,
  errorResponse,
  LOOPBACK_HOSTS,
  toErrorResponse,
} from "@tandem/http-adapter";
import { toNodeListener } from "@tandem/http-adapter/node";
import { createOpenAIPlanner } from "@tandem/llm-openai";
import { createAgents } from "./agents/create-agents.js";
import { isLoopbackHost, type LocalServerConfig } from "./config.js";
import { createLineLogger, type LineWriter, logRequest, logTransitions } from "./log.js";
import { openStore } from "./open-store.js";
import { createStaticFiles } from "./static-files.js";

export interface LocalServerOptions extends Partial<LocalServerConfig> {
  /** @default SqliteStore in `dataDir/tandem.db` */
  store?: Store;
  /** @default an OpenAI-compatible planner when `openai` is set, else none (503 llm_unavailable) */
  planner?: Planner;
  /** @default core's scheduler over the engine */
  scheduler?: Scheduler;
  /** Folder of the prebuilt dashboard. @default ../public */
  publicDir?: string;
  /** Where log lines go. @default console.log */
  write?: LineWriter;
  /** @default 16 */
  concurrency?: number;
}

export interface LocalServer {
  readonly engine: Engine;
  readonly server: Server;
  /** e.g. `http://127.0.0.1:8000` */
  readonly url: string;
  readonly port: number;
  /** Stops intake, aborts running steps (the next start recovers them as after a crash), closes the store and sockets. */
  close(): Promise<void>;
}

/** Host names this server answers to, each with its port. */
function hostsFor(host: string, port: number, extra: string[]): string[] {
  const names = new Set<string>(LOOPBACK_HOSTS);
  if (host === "0.0.0.0" || host === "::") {
    names.add(hostname());
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(a.family === "IPv6" ? `[${a.address}]` : a.address);
    }
  } else {
    names.add(host.includes(":") ? `[${host}]` : host);
  }
  return [...[...names].map((n) => `${n}:${port}`), ...extra];
}

/** `/api/*` to the API handler; everything else to the dashboard's files, behind the same Host/Origin checks. */
function siteHandler(
  api: (request: Request) => Promise<Response>,
  statics: (request: Request) => Promise<Response | null>,
  guard: { allowedHosts: string[]; allowedOrigins: string[]; logger: Logger },
): (request: Request) => Promise<Response> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/api" || pathname.startsWith("/api/")) return api(request);
    try {
      checkHost(request, guard.allowedHosts);
      checkOrigin(request, guard.allowedOrigins);
      if (request.method !== "GET" && request.method !== "HEAD") {
        const allow = { allow: "GET, HEAD" };
        return errorResponse("method_not_allowed", `${request.method} is not allowed here`, undefined, allow);
      }
      return (await statics(request)) ?? errorResponse("not_found", `Nothing at ${pathname}`);
    } catch (error) {
      return toErrorResponse(error, guard.logger);
    }
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Builds everything and listens; resolves once the port is bound. */
export async function createLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  // The same rule as the environment's (config.ts), for callers that pass options directly.
  const wanted = options.host ?? "127.0.0.1";
  if (!isLoopbackHost(wanted) && options.token === undefined) {
    throw new Error(`Refusing to listen on ${wanted} without a token: set one, or listen on 127.0.0.1`);
  }
  const write = options.write ?? ((line: string) => console.log(line));
  const logger = createLineLogger(write);
  const dataDir = options.dataDir ?? join(process.cwd(), ".tandem");
  const store = options.store ?? (await openStore(dataDir, options.retention));
  const agents = createAgents({ ...options, dataDir });
  const engine = createEngine({ store, agents, logger, concurrency: options.concurrency });
  const stopLogging = logTransitions(engine, write);
  const planner = options.planner ?? createPlanner(options.openai);
  const scheduler = options.scheduler ?? createScheduler({ engine, logger });
  const statics = createStaticFiles(options.publicDir ?? fileURLToPath(new URL("../public", import.meta.url)));

  let site: (request: Request) => Promise<Response> = async () => errorResponse("internal_error", "starting");
  const listener = toNodeListener(async (request) => {
    const startedAt = performance.now();
    const response = await site(request);
    logRequest(write, request, response.status, startedAt);
    return response;
  });
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, listener);
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? "127.0.0.1";
  let port: number;
  try {
    port = await listen(server, options.port ?? 8000, host);
  } catch (error) {
    stopLogging();
    await engine.close();
    throw error;
  }
  const allowedHosts = hostsFor(host, port, options.allowedHosts ?? []);
  const allowedOrigins = options.allowedOrigins ?? [];
  const { token, variables } = options;
  const api = createHandler({ engine, planner, scheduler, token, allowedHosts, allowedOrigins, variables, logger });
  site = siteHandler(api, statics, { allowedHosts, allowedOrigins, logger });
  await scheduler.start();
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  write(`Tandem is listening on ${url} (API at ${url}/api, data in ${dataDir}${planner ? ", planner on" : ""})`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await scheduler.stop();
      await engine.close();
      stopLogging();
      server.closeAllConnections(); // ends open event streams
      await closed;
    })();
    return closing;
  };
  return { engine, server, url, port, close };
}

function createPlanner(openai: LocalServerConfig["openai"]): Planner | undefined {
  if (openai === undefined) return undefined;
  return createOpenAIPlanner(openai);
}
