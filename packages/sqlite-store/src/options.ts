/**
 * Options of `SqliteStore`, with their defaults and fail-fast validation.
 * @module
 */

export interface RetentionOptions {
  /** Finished workflows (completed, failed, cancelled) last updated longer ago than this are deleted. */
  maxAgeMs?: number;
  /** At most this many finished workflows are kept (the newest by `created_at`). */
  maxCount?: number;
  /** How often the limits are applied in the background. @default 600_000 (10 minutes) */
  intervalMs?: number;
}

export interface SqliteStoreOptions {
  /** Database file; its directory is created when missing. */
  path: string;
  /**
   * `FULL`: an acknowledged write survives power loss. `NORMAL`: it survives a process crash but
   * the last transactions may be lost on power loss (faster: no fsync per commit).
   * @default "FULL"
   */
  synchronous?: "FULL" | "NORMAL";
  /**
   * How long a write waits for another connection's write lock before failing with `store_busy`.
   * Waiting happens between event-loop turns (the loop is never blocked more than 50 ms).
   * @default 5000
   */
  busyTimeoutMs?: number;
  /** Largest JSON text (length of `JSON.stringify`) of one step result; other values may be 4× this. @default 4 MiB */
  maxResultBytes?: number;
  /** Age and count limits for finished workflows; none by default (history kept until deleted). */
  retention?: RetentionOptions;
  /** How often the WAL is checkpointed and truncated; 0 disables. @default 30_000 */
  checkpointIntervalMs?: number;
  /** `quick`: run `PRAGMA quick_check` at open and refuse a damaged file. @default "quick" */
  integrityCheck?: "quick" | "off";
  /** An executor lease without heartbeat for this long is considered abandoned. @default 30_000 */
  leaseTimeoutMs?: number;
}

export interface ResolvedOptions {
  path: string;
  synchronous: "FULL" | "NORMAL";
  busyTimeoutMs: number;
  maxResultBytes: number;
  retention: Required<Pick<RetentionOptions, "intervalMs">> & Omit<RetentionOptions, "intervalMs">;
  checkpointIntervalMs: number;
  integrityCheck: "quick" | "off";
  leaseTimeoutMs: number;
}

function expectNumber(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new TypeError(`Expected \`${name}\` to be a number >= ${min}, got ${String(value)}`);
  }
  return value;
}

function expectOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new TypeError(
      `Expected \`${name}\` to be ${allowed.map((a) => `"${a}"`).join(" or ")}, got ${String(value)}`,
    );
  }
  return value as T;
}

export function resolveOptions(options: SqliteStoreOptions): ResolvedOptions {
  if (typeof options?.path !== "string" || options.path === "") {
    throw new TypeError(`Expected \`path\` to be a non-empty string, got ${String(options?.path)}`);
  }
  if (options.path === ":memory:" || options.path.startsWith("file:")) {
    throw new TypeError("Expected `path` to be a file path: use MemoryStore for an in-memory store");
  }
  const retention = options.retention ?? {};
  return {
    path: options.path,
    synchronous: expectOneOf("synchronous", options.synchronous, ["FULL", "NORMAL"], "FULL"),
    busyTimeoutMs: expectNumber("busyTimeoutMs", options.busyTimeoutMs, 5000, 0),
    maxResultBytes: expectNumber("maxResultBytes", options.maxResultBytes, 4 * 1024 * 1024, 1),
    retention: {
      maxAgeMs:
        retention.maxAgeMs === undefined ? undefined : expectNumber("retention.maxAgeMs", retention.maxAgeMs, 0, 0),
      maxCount:
        retention.maxCount === undefined ? undefined : expectNumber("retention.maxCount", retention.maxCount, 0, 0),
      intervalMs: expectNumber("retention.intervalMs", retention.intervalMs, 600_000, 1),
    },
    checkpointIntervalMs: expectNumber("checkpointIntervalMs", options.checkpointIntervalMs, 30_000, 0),
    integrityCheck: expectOneOf("integrityCheck", options.integrityCheck, ["quick", "off"], "quick"),
    leaseTimeoutMs: expectNumber("leaseTimeoutMs", options.leaseTimeoutMs, 30_000, 1),
  };
}
