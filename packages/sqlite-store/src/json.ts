/**
 * JSON columns. `JSON.stringify` escapes lone surrogates (`"\ud800"` → `"\\ud800"`), so every
 * JavaScript string round-trips through SQLite's UTF-8 text. Sizes are capped so an absurd value
 * is refused with `output_too_large` instead of stalling the process.
 * @module
 */
import { TandemError } from "@tandem/core";
import { corruptError } from "./errors.js";

/** UTF-8 size of a JSON text, computed only when the cheap bound says it might be too large. */
function utf8Size(text: string, limit: number): number {
  return text.length * 3 <= limit ? text.length : Buffer.byteLength(text, "utf8");
}

export class JsonCodec {
  readonly #path: string;
  readonly #maxResultBytes: number;
  readonly #maxValueBytes: number;

  constructor(path: string, maxResultBytes: number) {
    this.#path = path;
    this.#maxResultBytes = maxResultBytes;
    // Args, variables and events may embed results (`$results`), so they get more room.
    this.#maxValueBytes = maxResultBytes * 4;
  }

  /** Serialises any JSON value, refusing it when larger than the value cap. */
  encode(value: unknown, what: string): string {
    const text = JSON.stringify(value) ?? "null";
    if (text.length > this.#maxValueBytes / 3 && utf8Size(text, this.#maxValueBytes) > this.#maxValueBytes) {
      throw this.#tooLarge(what, text, this.#maxValueBytes);
    }
    return text;
  }

  /** Serialises a step record; its `result` alone must stay under `maxResultBytes`. */
  encodeStep(step: { id: string; result?: unknown }, workflowId: string): string {
    const text = JSON.stringify(step);
    if (text.length > this.#maxResultBytes / 3) {
      const result = JSON.stringify(step.result) ?? "null";
      if (utf8Size(result, this.#maxResultBytes) > this.#maxResultBytes) {
        throw this.#tooLarge(`the result of step ${step.id} of workflow ${workflowId}`, result, this.#maxResultBytes);
      }
      if (utf8Size(text, this.#maxValueBytes) > this.#maxValueBytes) {
        throw this.#tooLarge(`step ${step.id} of workflow ${workflowId}`, text, this.#maxValueBytes);
      }
    }
    return text;
  }

  /** Parses a stored JSON text; a damaged one is reported as a corrupt store, naming the row. */
  decode<T>(text: string, where: string): T {
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw corruptError(this.#path, `unreadable JSON in ${where}`, error);
    }
  }

  #tooLarge(what: string, text: string, limit: number): TandemError {
    const size = Buffer.byteLength(text, "utf8");
    return new TandemError(
      "output_too_large",
      `${what[0]!.toUpperCase()}${what.slice(1)} is ${size} bytes of JSON, above the store's limit of ${limit} bytes`,
    );
  }
}
