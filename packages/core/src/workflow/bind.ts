/**
 * Binds `$` references to what they name, given the DAG: an ancestor's output, a named step's
 * output, or a workflow variable (SPEC order). Done once at validation; the executor reuses it.
 * @module
 */
import { AncestorWalker, type DagIndex } from "./graph.js";
import type { Reference } from "./references.js";

export type Binding =
  | { kind: "output"; step: string; name: string; path: string[] }
  | { kind: "variable"; name: string; path: string[] };

export interface BindIssue {
  code: "unknown_reference" | "ambiguous_reference" | "not_ancestor" | "unknown_output";
  message: string;
}

export class ReferenceBinder {
  readonly #walker: AncestorWalker;
  /** Output name → indices of the steps that declare it. */
  readonly #publishers = new Map<string, number[]>();

  constructor(
    private readonly index: DagIndex,
    private readonly outputs: readonly (readonly string[])[],
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {
    this.#walker = new AncestorWalker(index);
    outputs.forEach((names, i) => {
      for (const name of names) {
        const list = this.#publishers.get(name);
        if (list) list.push(i);
        else this.#publishers.set(name, [i]);
      }
    });
  }

  bind(stepIndex: number, ref: Reference): Binding | BindIssue {
    const [head, ...rest] = ref.segments;
    const ids = this.index.ids;
    const publishers = this.#publishers.get(head);
    if (publishers) {
      const found = this.#ancestorPublishers(stepIndex, publishers);
      if (found.length === 1) return { kind: "output", step: ids[found[0]], name: head, path: rest };
      if (found.length > 1) {
        const names = found.map((i) => ids[i]).join(", ");
        return {
          code: "ambiguous_reference",
          message: `${ref.raw} is ambiguous: output "${head}" is published by several ancestors (${names}); qualify it as $<step>.${head}`,
        };
      }
    }
    const target = this.index.indexOf.get(head);
    if (target !== undefined && target !== stepIndex) {
      if (!this.#walker.isAncestor(target, stepIndex)) {
        return {
          code: "not_ancestor",
          message: `${ref.raw} names step "${head}", which is not an ancestor of "${ids[stepIndex]}" (add it to depends_on)`,
        };
      }
      const declared = this.outputs[target];
      if (rest.length === 0 || !declared.includes(rest[0])) {
        const list = declared.length ? declared.join(", ") : "none";
        const message =
          rest.length === 0
            ? `${ref.raw} names step "${head}" but no output: write ${ref.raw}.<output> (its outputs: ${list})`
            : `${ref.raw}: step "${head}" does not publish "${rest[0]}" (its outputs: ${list}); ` +
              `list it in that step's "outputs" to publish it`;
        return { code: "unknown_output", message };
      }
      return { kind: "output", step: head, name: rest[0], path: rest.slice(1) };
    }
    if (Object.hasOwn(this.variables, head)) return { kind: "variable", name: head, path: rest };
    if (publishers) {
      const names = publishers.map((i) => ids[i]).join(", ");
      return {
        code: "not_ancestor",
        message: `${ref.raw}: output "${head}" is published by ${names}, which is not an ancestor of "${ids[stepIndex]}" (add it to depends_on)`,
      };
    }
    return {
      code: "unknown_reference",
      message: `${ref.raw} resolves to nothing: no ancestor publishes "${head}" and there is no variable "${head}"`,
    };
  }

  /** Ancestors of `node` among `publishers`, stopping once two are found (enough to call it ambiguous). */
  #ancestorPublishers(node: number, publishers: number[]): number[] {
    const found: number[] = [];
    if (publishers.length <= 2) {
      for (const p of publishers) if (p !== node && this.#walker.isAncestor(p, node)) found.push(p);
      return found;
    }
    const wanted = new Set(publishers);
    this.#walker.walk(node, (a) => {
      if (wanted.has(a)) found.push(a);
      return found.length >= 2;
    });
    return found;
  }
}

export function isBindIssue(b: Binding | BindIssue): b is BindIssue {
  return "code" in b;
}
