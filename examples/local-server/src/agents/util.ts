/**
 * `util.WAIT` and `util.ECHO`: the smallest useful actions. WAIT shows how to honour `ctx.signal`
 * (an interrupt must stop the wait at once); ECHO publishes its input, handy to test `$` references.
 * @module
 */
import { type AgentPlugin, defineAction, defineAgent } from "@tandem/core";
import { z } from "zod";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The `util` agent. */
export function createUtilAgent(): AgentPlugin {
  return defineAgent({
    name: "util",
    description: "Small helpers",
    actions: {
      WAIT: defineAction({
        description: "Wait `ms` milliseconds (stops at once on interrupt or cancel).",
        args: z.object({ ms: z.number().int().min(0).max(86_400_000) }),
        outputs: ["waited_ms"],
        async run(args, ctx) {
          await sleep(args.ms, ctx.signal);
          return { waited_ms: args.ms };
        },
      }),
      ECHO: defineAction({
        description: "Publish `value` unchanged as the output `value`.",
        args: z.object({ value: z.unknown() }),
        outputs: ["value"],
        run: (args) => ({ value: args.value }),
      }),
    },
  });
}
