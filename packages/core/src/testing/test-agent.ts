/**
 * A ready-made agent for tests of workflows and stores: records every call, tracks how many run at
 * once, and lets a test hold steps open until it releases them.
 * @module
 */
import { z } from "zod";
import type { AgentContext, AgentPlugin } from "../agents/types.js";
import { NonRetryableError } from "../errors.js";

export interface TestAgentCall {
  stepId: string;
  action: string;
  attempt: number;
  idempotencyKey: string;
  args: Record<string, unknown>;
}

export interface TestAgent {
  plugin: AgentPlugin;
  calls: TestAgentCall[];
  /** Most steps seen running at the same time. */
  readonly maxConcurrent: number;
  /** Steps currently held by `HOLD`. */
  readonly held: string[];
  /** Resolves a held step with `result` (default `{ value: stepId }`). */
  release(stepId: string, result?: unknown): void;
  /** Resolves once a step is held (already held: at once). */
  whenHeld(stepId: string): Promise<void>;
  /** Steps whose AbortSignal fired. */
  aborted: string[];
}

/**
 * Actions: `ECHO` ({ value } → { value }), `NOOP`, `FAIL` ({ message?, times? }: fails the first
 * `times` attempts, all when absent; `fatal: true` throws NonRetryableError), `HOLD` (waits for
 * `release`, honours its signal), `IGNORE_SIGNAL` (waits for `release`, ignores the signal),
 * `SEND` (not idempotent), `GATED` (always needs a person), `TYPED` ({ count: number }).
 */
export function defineTestAgent(name = "test"): TestAgent {
  const calls: TestAgentCall[] = [];
  const aborted: string[] = [];
  const holds = new Map<string, (v: unknown) => void>();
  const heldWaiters = new Map<string, (() => void)[]>();
  let running = 0;
  let maxConcurrent = 0;

  const track = async <T>(
    action: string,
    args: Record<string, unknown>,
    ctx: AgentContext,
    body: () => Promise<T> | T,
  ) => {
    calls.push({ stepId: ctx.stepId, action, attempt: ctx.attempt, idempotencyKey: ctx.idempotencyKey, args });
    running++;
    maxConcurrent = Math.max(maxConcurrent, running);
    try {
      return await body();
    } finally {
      running--;
    }
  };
  const hold = (ctx: AgentContext, honourSignal: boolean) =>
    new Promise<unknown>((resolve, reject) => {
      holds.set(ctx.stepId, resolve);
      for (const w of heldWaiters.get(ctx.stepId) ?? []) w();
      heldWaiters.delete(ctx.stepId);
      if (honourSignal) {
        ctx.signal.addEventListener("abort", () => {
          aborted.push(ctx.stepId);
          holds.delete(ctx.stepId);
          reject(ctx.signal.reason);
        });
      }
    });

  const plugin: AgentPlugin = {
    name,
    description: "Test agent",
    actions: {
      ECHO: {
        description: "Returns { value }",
        outputs: ["value"],
        run: (a, c) => track("ECHO", a, c, () => ({ value: a.value })),
      },
      NOOP: { description: "Does nothing", run: (a, c) => track("NOOP", a, c, () => null) },
      FAIL: {
        description: "Fails the first `times` attempts",
        run: (a, c) =>
          track("FAIL", a, c, () => {
            const times = typeof a.times === "number" ? a.times : Number.POSITIVE_INFINITY;
            if (c.attempt <= times) {
              const message = String(a.message ?? "boom");
              throw a.fatal ? new NonRetryableError(message) : new Error(message);
            }
            return { value: `ok after ${c.attempt}` };
          }),
      },
      HOLD: { description: "Waits for release()", run: (a, c) => track("HOLD", a, c, () => hold(c, true)) },
      IGNORE_SIGNAL: {
        description: "Waits for release(), ignoring its signal",
        run: (a, c) => track("IGNORE_SIGNAL", a, c, () => hold(c, false)),
      },
      SEND: {
        description: "A side effect that must not repeat",
        idempotent: false,
        run: (a, c) => track("SEND", a, c, () => ({ sent: true })),
      },
      GATED: {
        description: "Always needs a person",
        needsHuman: true,
        run: (a, c) => track("GATED", a, c, () => ({ done: true })),
      },
      TYPED: {
        description: "Takes { count: number }",
        args: z.object({ count: z.number() }),
        run: (a, c) => track("TYPED", a, c, () => ({ count: a.count })),
      },
    },
  };
  return {
    plugin,
    calls,
    aborted,
    get maxConcurrent() {
      return maxConcurrent;
    },
    get held() {
      return [...holds.keys()];
    },
    release(stepId, result) {
      const resolve = holds.get(stepId);
      if (!resolve) throw new Error(`Step ${stepId} is not held`);
      holds.delete(stepId);
      resolve(result === undefined ? { value: stepId } : result);
    },
    whenHeld(stepId) {
      if (holds.has(stepId)) return Promise.resolve();
      return new Promise((resolve) => {
        const list = heldWaiters.get(stepId) ?? [];
        list.push(resolve);
        heldWaiters.set(stepId, list);
      });
    },
  };
}
