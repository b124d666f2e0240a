/**
 * A `Planner` for tests: replies come from a list or a function, and every request is recorded,
 * so a test can drive the repair loop or the wizard without a model and assert what it was told.
 * @module
 */
import type { Planner, PlannerRequest, PlannerResponse, PlannerUsage } from "../planner/planner.js";

/** A reply value (the parsed JSON the model would return), or an Error to throw instead. */
export type ScriptedReply = unknown;

/** Computes the reply of request number `index` (0-based); may throw. */
export type ScriptFunction = (request: PlannerRequest, index: number) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedPlannerOptions {
  /** Usage reported with every reply. @default undefined (no usage reported) */
  usage?: PlannerUsage;
  /** Waits this long before answering, honouring the request's signal. @default 0 */
  delayMs?: number;
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * @example
 * const planner = new ScriptedPlanner([{ steps: cyclicSteps }, { steps: fixedSteps }]);
 * await generateWorkflow(engine, planner, { prompt: "…" });
 * expect(planner.requests).toHaveLength(2);
 */
export class ScriptedPlanner implements Planner {
  /** Every request received, in order (deep copies, so later changes by the caller do not show). */
  readonly requests: PlannerRequest[] = [];
  readonly #script: ScriptFunction;
  readonly #options: ScriptedPlannerOptions;

  /**
   * @param script Replies in order (an `Error` item is thrown instead of returned), or a function.
   *   Running past the end of a list throws an Error naming the request.
   */
  constructor(script: readonly ScriptedReply[] | ScriptFunction, options: ScriptedPlannerOptions = {}) {
    this.#options = options;
    if (typeof script === "function") {
      this.#script = script;
    } else {
      const replies = [...script];
      this.#script = (_request, index) => {
        if (index >= replies.length) {
          throw new Error(`ScriptedPlanner: no reply scripted for request #${index + 1} (${replies.length} scripted)`);
        }
        return replies[index];
      };
    }
  }

  /** The messages of request `index` (0-based), joined into one string, for easy assertions. */
  transcript(index: number): string {
    const request = this.requests[index];
    if (!request) throw new RangeError(`ScriptedPlanner: no request #${index + 1}`);
    return request.messages.map((m) => `${m.role}: ${m.content}`).join("\n");
  }

  async complete(request: PlannerRequest): Promise<PlannerResponse> {
    const { signal, ...rest } = request;
    this.requests.push({ ...structuredClone(rest), signal });
    const index = this.requests.length - 1;
    await wait(this.#options.delayMs ?? 0, signal);
    signal?.throwIfAborted();
    const value = await this.#script(request, index);
    if (value instanceof Error) throw value;
    return this.#options.usage ? { value, usage: { ...this.#options.usage } } : { value };
  }
}
