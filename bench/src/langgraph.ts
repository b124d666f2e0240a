/**
 * The same shapes as LangGraph.js StateGraphs with no-op nodes, for the comparison the issue asks
 * for. Fan-in uses `addEdge([...sources], target)`, which waits for every source.
 */
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import type { Shape } from "./shapes.js";

const State = Annotation.Root({
  n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

// biome-ignore lint/suspicious/noExplicitAny: node names are dynamic, LangGraph types them as literals
type AnyGraph = any;

export function compileLangGraph(shape: Shape, checkpointer?: unknown) {
  const graph: AnyGraph = new StateGraph(State);
  const noop = async () => ({ n: 1 });
  for (const s of shape.steps) graph.addNode(s.id, noop);
  const hasChildren = new Set<string>();
  for (const s of shape.steps) {
    const deps = s.depends_on ?? [];
    if (deps.length === 0) graph.addEdge(START, s.id);
    else if (deps.length === 1) graph.addEdge(deps[0], s.id);
    else graph.addEdge(deps, s.id);
    for (const d of deps) hasChildren.add(d);
  }
  for (const s of shape.steps) if (!hasChildren.has(s.id)) graph.addEdge(s.id, END);
  return graph.compile(checkpointer ? { checkpointer } : undefined);
}

let threads = 0;
export async function runLangGraph(app: AnyGraph, steps: number): Promise<void> {
  const out = await app.invoke({}, { recursionLimit: steps + 10, configurable: { thread_id: `t${threads++}` } });
  if (out.n !== steps) throw new Error(`LangGraph ran ${out.n} of ${steps} nodes`);
}
