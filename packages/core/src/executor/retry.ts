/**
 * Exponential backoff with jitter: base · 2^(attempt-1), scaled by a random factor in [0.5, 1],
 * capped at 10 minutes. Jitter keeps many failing steps from retrying in lockstep.
 */
export const MAX_BACKOFF_MS = 600_000;

export function backoffDelay(baseMs: number, attempt: number, random: () => number): number {
  const exp = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random() * 0.5));
}
