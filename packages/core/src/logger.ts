/** A minimal structured logger; pass `console`-like or pino-like objects. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = () => {};
/** The default: logging costs nothing when nobody asked for it. */
export const noopLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
