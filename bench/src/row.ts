/** One measurement, as printed in the table and written to bench/results/latest.json. */
export interface Row {
  suite: string;
  case: string;
  value: number;
  unit: string;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `fn` `runs` times after `warmup` untimed runs; returns the median duration in ms. `setup`
 * runs untimed before each run (a fresh engine, say). No forced GC between samples: with
 * --expose-gc and gc() every case here, baselines included, ran about twice as slow.
 */
export async function timeIt<T>(
  fn: (state: T) => Promise<unknown>,
  runs: number,
  warmup = 2,
  setup: () => T = () => undefined as T,
): Promise<number> {
  return (await sample(fn, runs, warmup, setup)).median;
}

/** Like timeIt, with the fastest sample too: noise on a shared machine only ever adds time. */
export async function sample<T>(
  fn: (state: T) => Promise<unknown>,
  runs: number,
  warmup = 2,
  setup: () => T = () => undefined as T,
): Promise<{ median: number; min: number }> {
  for (let i = 0; i < warmup; i++) await fn(setup());
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const state = setup();
    const t = performance.now();
    await fn(state);
    times.push(performance.now() - t);
  }
  return { median: median(times), min: Math.min(...times) };
}
