/**
 * Reads the local server's settings from environment variables (the only place that reads them).
 * @module
 */
import { resolve } from "node:path";

export interface LocalServerConfig {
  host: string;
  port: number;
  dataDir: string;
  token: string | undefined;
  searchUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** From `TANDEM_VAR_<NAME>`: the variable `<name>` (lowercased), under every created workflow's own. */
  variables: Record<string, string>;
  openai: { apiKey: string | undefined; baseURL: string | undefined; model: string | undefined } | undefined;
  allowedHosts: string[];
  allowedOrigins: string[];
  fetchAllowHosts: string[];
  fetchAllowPrivate: boolean;
  /** From `TANDEM_RETENTION_DAYS` / `TANDEM_RETENTION_COUNT`: finished workflows older or beyond are deleted. */
  retention: { maxAgeMs?: number; maxCount?: number };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** True for names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** A positive whole number from the environment, times `unit`; undefined when unset. */
function positive(env: NodeJS.ProcessEnv, name: string, unit: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got "${raw}"`);
  return n * unit;
}

/**
 * @throws Error when PORT is not a port, or HOST is not loopback and no TANDEM_TOKEN is set.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LocalServerConfig {
  const host = env.HOST?.trim() || "127.0.0.1";
  const port = Number(env.PORT?.trim() || "8000");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const token = env.TANDEM_TOKEN?.trim() || undefined;
  if (!isLoopbackHost(host) && token === undefined) {
    throw new Error(`HOST=${host} is reachable from other machines: set TANDEM_TOKEN to a long random secret first`);
  }
  if (token !== undefined && token.length < 16) throw new Error("TANDEM_TOKEN must have at least 16 characters");
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith("TANDEM_VAR_") && key.length > 11 && value !== undefined)
      variables[key.slice(11).toLowerCase()] = value;
  }
  const openaiWanted = Boolean(env.OPENAI_MODEL || env.OPENAI_BASE_URL);
  return {
    host,
    port,
    dataDir: resolve(env.TANDEM_DATA_DIR?.trim() || ".tandem"),
    token,
    searchUrl: env.SEARCH_URL?.trim() || undefined,
    smtpUrl: env.SMTP_URL?.trim() || undefined,
    mailFrom: env.MAIL_FROM?.trim() || undefined,
    variables,
    openai: openaiWanted
      ? { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL || undefined, model: env.OPENAI_MODEL || undefined }
      : undefined,
    allowedHosts: list(env.TANDEM_ALLOWED_HOSTS),
    allowedOrigins: list(env.TANDEM_ALLOWED_ORIGINS),
    fetchAllowHosts: list(env.TANDEM_FETCH_ALLOW_HOSTS),
    fetchAllowPrivate: env.TANDEM_FETCH_ALLOW_PRIVATE === "1",
    retention: {
      maxAgeMs: positive(env, "TANDEM_RETENTION_DAYS", 86_400_000),
      maxCount: positive(env, "TANDEM_RETENTION_COUNT", 1),
    },
  };
}
