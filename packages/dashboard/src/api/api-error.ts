/**
 * A refusal or failure of the API, read from the documented error body
 * `{ "error": { "code", "message", "details"? } }`.
 * @module
 */

/** One line of an error's details, made readable whatever shape the server used. */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

/** Error thrown by the client for every non-2xx answer and for network failures. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Reads the error body; a body that is not the documented shape still gives a readable message. */
  static async fromResponse(res: Response): Promise<ApiError> {
    const text = await res.text().catch(() => "");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    if (!error) {
      const reason = res.statusText ? ` ${res.statusText}` : "";
      return new ApiError(res.status, `http_${res.status}`, `The server answered HTTP ${res.status}${reason}.`);
    }
    const code = typeof error.code === "string" ? error.code : `http_${res.status}`;
    const message = typeof error.message === "string" ? error.message : code;
    const details = Array.isArray(error.details) ? error.details.map(toDetail) : [];
    return new ApiError(res.status, code, message, details);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validation issues come as `{ path, code, message }`; a path may be a string or a list of keys. */
function toDetail(raw: unknown): ErrorDetail {
  if (!isRecord(raw)) return { path: "", message: typeof raw === "string" ? raw : JSON.stringify(raw) };
  const path = Array.isArray(raw.path) ? raw.path.map(String).join(".") : typeof raw.path === "string" ? raw.path : "";
  const message = typeof raw.message === "string" ? raw.message : JSON.stringify(raw);
  return { path, message, code: typeof raw.code === "string" ? raw.code : undefined };
}

/** Turns anything thrown into an ApiError so the UI shows one kind of message. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, "client_error", err instanceof Error ? err.message : String(err));
}

/** Plain words for the codes a person is most likely to meet. */
export function explain(error: ApiError): string {
  switch (error.code) {
    case "llm_unavailable":
      // The local server configures a model only when OPENAI_MODEL or OPENAI_BASE_URL is set (config.ts).
      return "No language model is configured on this server: restart it with OPENAI_MODEL (plus OPENAI_API_KEY for OpenAI) or OPENAI_BASE_URL (a local OpenAI-compatible server); OPENAI_API_KEY alone is not enough. You can still paste a step list.";
    case "network_error":
      return "The server cannot be reached. Is it still running?";
    default:
      return error.message;
  }
}
