/** Time as the engine sees it; injected so tests run on a fake clock without sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` at (or soon after) epoch ms `at`. Returns a function that cancels it. */
  setTimer(at: number, fn: () => void): () => void;
}

/** Node's timers cap at 2^31-1 ms (24.8 days); longer waits re-arm instead of firing at once. */
const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    let handle: ReturnType<typeof setTimeout>;
    const arm = () => {
      const delay = at - Date.now();
      if (delay > MAX_TIMER_MS) handle = setTimeout(arm, MAX_TIMER_MS);
      else handle = setTimeout(fn, Math.max(0, delay));
    };
    arm();
    return () => clearTimeout(handle);
  },
};
