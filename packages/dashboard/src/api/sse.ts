/**
 * Server-Sent Events over fetch. EventSource cannot send an Authorization header, so the stream is read
 * with fetch and a small parser that follows the WHATWG event-stream rules.
 * @module
 */

/** One dispatched event. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/** Incremental parser: feed it decoded text in any chunking, get whole events back. */
export class SseParser {
  #buffer = "";
  #data: string[] = [];
  #event = "";
  #id: string | null = null;
  /** The last `id:` seen, kept across events as the spec says (used for Last-Event-ID). */
  lastEventId: string | null = null;

  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      // A lone "\r" at the end may be the first half of "\r\n": wait for more text.
      if (!match || (match[0] === "\r" && match.index === this.#buffer.length - 1)) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const message = this.#line(line);
      if (message) out.push(message);
    }
    return out;
  }

  #line(line: string): SseMessage | null {
    if (line === "") {
      if (this.#data.length === 0) {
        this.#event = "";
        return null;
      }
      const message = { id: this.#id, event: this.#event || "message", data: this.#data.join("\n") };
      this.#data = [];
      this.#event = "";
      return message;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.#data.push(value);
    else if (field === "event") this.#event = value;
    else if (field === "id" && !value.includes("\0")) {
      this.#id = value;
      this.lastEventId = value;
    }
    return null;
  }
}

/** Options of {@link readEventStream}. */
export interface ReadEventStreamOptions {
  headers?: Record<string, string>;
  lastEventId?: string | null;
  signal?: AbortSignal;
  onMessage: (message: SseMessage) => void;
  /** Called once the server accepted the stream. */
  onOpen?: () => void;
  fetch?: typeof fetch;
}

/**
 * Reads one connection to the end. Resolves with the last event id when the server closes the stream
 * (the workflow ended); rejects on an HTTP error or a dropped connection so the caller can reconnect.
 */
export async function readEventStream(url: string, options: ReadEventStreamOptions): Promise<string | null> {
  const headers: Record<string, string> = { Accept: "text/event-stream", ...options.headers };
  if (options.lastEventId) headers["Last-Event-ID"] = options.lastEventId;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const res = await doFetch(url, { headers, signal: options.signal, cache: "no-store" });
  if (!res.ok || !res.body) throw new Error(`event stream answered HTTP ${res.status}`);
  options.onOpen?.();
  const parser = new SseParser();
  parser.lastEventId = options.lastEventId ?? null;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const message of parser.push(value)) options.onMessage(message);
  }
  return parser.lastEventId;
}
