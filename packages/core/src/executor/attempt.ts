/**
 * One attempt of a step. The AbortController is created only when the agent reads
 * `ctx.signal`: most agents never do, and creating one per step showed up in profiles. Aborting
 * also rejects the attempt's race, so a step whose agent ignores its signal still frees its slot.
 */
export class Attempt {
  #controller: AbortController | null = null;
  #reject: ((reason: unknown) => void) | null = null;
  aborted = false;
  reason: unknown = undefined;
  cancelTimeout: (() => void) | null = null;

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.cancelTimeout?.();
    this.#controller?.abort(reason);
    this.#reject?.(reason);
  }

  /** Settles with the agent's promise, or rejects as soon as the attempt is aborted. */
  race(p: PromiseLike<unknown>): Promise<unknown> {
    if (this.aborted) return Promise.reject(this.reason);
    return new Promise((resolve, reject) => {
      this.#reject = reject;
      p.then(resolve, reject);
    });
  }
}
