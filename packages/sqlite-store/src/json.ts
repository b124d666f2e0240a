/**
 * JSON columns. `JSON.stringify` escapes lone surrogates (`"\ud800"` → `"\\ud800"`), so every
 * JavaScript string round-trips through SQLite's UTF-8 text. Sizes are capped so an absurd value
 * is refused with `output_too_large` instead of stalling the process. A size is the length of the
 * JSON text (UTF-16 code units, which is bytes for ASCII): the measure the engine applies to step
 * results first, so the store never refuses a result the engine accepted.
 * @module
 */
import { type StepRecord, type StepSpec, TandemError } from "@tandem/core";
import { corruptError } from "./errors.js";

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
    if (text.length > this.#maxValueBytes) {
      throw this.#tooLarge(what, text, this.#maxValueBytes);
    }
    return text;
  }

  /**
   * Serialises a list in one go. The cap applies to each item's `part` (an event's data), not to
   * the list: a long batch of small values passes, and one absurd value is refused by name.
   */
  encodeList<T>(items: T[], part: (item: T) => unknown, what: (i: number) => string): string {
    const text = JSON.stringify(items);
    if (text.length > this.#maxValueBytes) {
      for (let i = 0; i < items.length; i++) this.encode(part(items[i]!), what(i));
    }
    return text;
  }

  /** Serialises a step's spec: what was written in the document, without its run state. */
  encodeSpec(step: StepRecord, workflowId: string): string {
    // Fields listed one by one (a test checks them against core's schema): a rest spread that
    // drops the state fields costs several times more on V8.
    const spec: Partial<StepSpec> = {
      id: step.id,
      agent: step.agent,
      action: step.action,
      args: step.args,
      depends_on: step.depends_on,
      outputs: step.outputs,
      needs_human: step.needs_human,
    };
    if (step.description !== undefined) spec.description = step.description;
    if (step.retry !== undefined) spec.retry = step.retry;
    if (step.timeout_ms !== undefined) spec.timeout_ms = step.timeout_ms;
    return this.encode(spec, `the spec of step ${step.id} of workflow ${workflowId}`);
  }

  /** Serialises a step's run-state fields but `status` (a column of its own); `result` stays under the cap. */
  encodeState(step: StepRecord, workflowId: string): string {
    const state = {
      resolved_args: step.resolved_args,
      result: step.result,
      error: step.error,
      attempts: step.attempts,
      started_at: step.started_at,
      finished_at: step.finished_at,
      in_doubt: step.in_doubt,
    };
    return this.#encodeRow(state, step.id, step.result, workflowId);
  }

  #encodeRow(value: unknown, stepId: string, result: unknown, workflowId: string): string {
    const text = JSON.stringify(value);
    if (text.length > this.#maxResultBytes) {
      const resultText = JSON.stringify(result) ?? "null";
      if (resultText.length > this.#maxResultBytes) {
        throw this.#tooLarge(
          `the result of step ${stepId} of workflow ${workflowId}`,
          resultText,
          this.#maxResultBytes,
        );
      }
      if (text.length > this.#maxValueBytes) {
        throw this.#tooLarge(`step ${stepId} of workflow ${workflowId}`, text, this.#maxValueBytes);
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
    return new TandemError(
      "output_too_large",
      `${what[0]!.toUpperCase()}${what.slice(1)} is ${text.length} bytes of JSON, above the store's limit of ${limit} bytes`,
    );
  }
}
