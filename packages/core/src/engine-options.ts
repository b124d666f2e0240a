/** Checks on `createEngine` options that TypeScript cannot make for plain JavaScript callers. */
import type { EngineOptions } from "./engine-types.js";

const OPTION_NAMES: ReadonlySet<string> = new Set([
  "store",
  "agents",
  "concurrency",
  "clock",
  "logger",
  "recover",
  "startedFlushMs",
  "random",
  "maxResultBytes",
] satisfies (keyof EngineOptions)[]);

/** A misspelt option would otherwise be ignored without a word (plain JavaScript callers). */
function checkOptionNames(options: EngineOptions): void {
  for (const name of Object.keys(options ?? {})) {
    if (!OPTION_NAMES.has(name)) {
      throw new TypeError(`Unknown engine option \`${name}\` (known: ${[...OPTION_NAMES].join(", ")})`);
    }
  }
}

/** @returns the options that have defaults, resolved. @throws TypeError naming the bad option. */
export function checkEngineOptions(options: EngineOptions): { concurrency: number; startedFlushMs: number } {
  checkOptionNames(options);
  if (options.agents !== undefined && !Array.isArray(options.agents)) {
    throw new TypeError("Expected `agents` to be an array of agent plugins ({ name, actions })");
  }
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`Expected \`concurrency\` to be a positive integer, got ${String(concurrency)}`);
  }
  const startedFlushMs = options.startedFlushMs ?? 50;
  if (!(startedFlushMs >= 0)) {
    throw new TypeError(`Expected \`startedFlushMs\` to be a number ≥ 0, got ${String(options.startedFlushMs)}`);
  }
  return { concurrency, startedFlushMs };
}
