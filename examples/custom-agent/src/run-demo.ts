/**
 * The demo: an engine with the notes plugin runs a two-step workflow, stops at the human gate,
 * and finishes once a person approves through `engine.intervene`.
 * @module
 */
import { createEngine, type EventRecord, MemoryStore } from "@tandem/core";
import { Ledger } from "./ledger.js";
import { createNotesAgent } from "./notes-agent.js";

export const article =
  "Tandem runs workflows as DAGs of steps that your own agents execute, and a person approves the steps that matter.";

export interface DemoOptions {
  ledgerPath: string;
  /** Where progress lines go. @default console.log */
  log?: (line: string) => void;
  /** Make the first SAVE attempt fail after writing, to show the retry and the idempotency key. @default false */
  loseFirstAck?: boolean;
}

/** Runs the demo workflow to completion; the engine is left open (serve it, or close it). */
export async function runDemo({ ledgerPath, log = console.log, loseFirstAck = false }: DemoOptions) {
  const ledger = new Ledger(ledgerPath);
  const engine = createEngine({ store: new MemoryStore(), agents: [createNotesAgent({ ledger, loseFirstAck })] });
  const onEnd = new Map<string, () => void>();
  engine.events.on("event", (e: EventRecord) => {
    log(`  ${e.type}${e.step_id ? ` ${e.step_id}` : ""}`);
    if (/^workflow\.(completed|failed|cancelled)$/.test(e.type)) onEnd.get(e.workflow_id)?.();
  });

  const { id } = await engine.createWorkflow({
    name: "summarize and save",
    variables: { article },
    steps: [
      {
        id: "summarize",
        agent: "notes",
        action: "SUMMARIZE",
        args: { text: "$article", max_words: 8 },
        outputs: ["summary", "word_count"],
      },
      {
        id: "save",
        agent: "notes",
        action: "SAVE",
        args: { title: "Summary of $word_count words", body: "$summary" },
        depends_on: ["summarize"],
        needs_human: true,
        retry: { max_attempts: 3, backoff_ms: 50 },
        outputs: ["note_id"],
      },
    ],
  });
  await engine.onIdle(); // `summarize` ran; `save` waits for a person
  const atGate = await engine.getWorkflow(id);
  const gate = atGate.steps.find((s) => s.id === "save")!;
  log(`${atGate.status}: "save" is ${gate.status} with ${JSON.stringify(gate.resolved_args)}`);

  const finished = new Promise<void>((resolve) => onEnd.set(id, resolve));
  await engine.intervene(id, { step_id: "save", approve: true, comment: "looks right" });
  await finished; // (not onIdle: a retry waiting out its backoff leaves the engine idle)
  const final = await engine.getWorkflow(id);
  log(`${final.status}: ledger has ${ledger.size} note(s) at ${ledgerPath}`);
  return { engine, ledger, atGate, final };
}
