/** Shared test helpers: a real engine on a MemoryStore with small agents, and request builders. */
import {
  type Clock,
  createEngine,
  defineAction,
  defineAgent,
  type Engine,
  MemoryStore,
  NonRetryableError,
} from "@tandem/core";
import { z } from "zod";
import { createHandler } from "../src/index.js";
import type { HandlerOptions } from "../src/types.js";

export const ORIGIN = "http://127.0.0.1:8000";

/** Agents for tests: `test.ECHO` (value → value), `test.WAIT` (until aborted or released), `test.FAIL`. */
export function testAgent(gate?: { release: Promise<void> }) {
  return defineAgent({
    name: "test",
    actions: {
      ECHO: defineAction({
        description: "echo",
        args: z.object({ value: z.unknown() }),
        outputs: ["value"],
        run: (args) => ({ value: args.value }),
      }),
      WAIT: defineAction({
        description: "waits for the test to release it, or for the abort signal",
        args: z.object({}),
        run: (_args, ctx) =>
          new Promise((resolve, reject) => {
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
            void gate?.release.then(() => resolve({ done: true }));
          }),
      }),
      FAIL: defineAction({
        description: "always fails",
        args: z.object({}),
        run: () => {
          throw new NonRetryableError("boom");
        },
      }),
      SEND: defineAction({
        description: "needs a person",
        args: z.object({ to: z.string() }),
        needsHuman: true,
        idempotent: false,
        run: (a) => ({ sent_to: a.to }),
      }),
    },
  });
}

export function makeEngine(clock?: Clock): Engine {
  return createEngine({ store: new MemoryStore(), agents: [testAgent()], clock });
}

export function setup(options: Partial<HandlerOptions> = {}) {
  const engine = options.engine ?? makeEngine();
  const handler = createHandler({ ...options, engine });
  const call = (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; raw?: BodyInit } = {},
  ) => {
    const headers: Record<string, string> = { host: "127.0.0.1:8000", ...init.headers };
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    return handler(new Request(`${ORIGIN}${path}`, { method, headers, body }));
  };
  const post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    call("POST", path, { body: body ?? {}, headers });
  return { engine, handler, call, post };
}

/** The documented two-step shape on test agents: s1 echoes, s2 needs a person. */
export const twoSteps = [
  { id: "s1", agent: "test", action: "ECHO", args: { value: ["a", "b"] }, outputs: ["value"] },
  { id: "s2", agent: "test", action: "SEND", args: { to: "$user_email" }, depends_on: ["s1"], needs_human: true },
];

export async function errorOf(response: Response): Promise<{ code: string; message: string; details?: unknown[] }> {
  const body = (await response.json()) as { error: { code: string; message: string; details?: unknown[] } };
  return body.error;
}
