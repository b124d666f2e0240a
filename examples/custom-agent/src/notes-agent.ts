/**
 * A custom agent plugin: `notes.SUMMARIZE` (pure, safe to retry) and `notes.SAVE` (a side effect,
 * `idempotent: false`, made exactly-once with `ctx.idempotencyKey`).
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type AgentPlugin, defineAction, defineAgent, NonRetryableError } from "@tandem/core";
import { z } from "zod";
import type { Ledger } from "./ledger.js";

export type NotesAgentOptions = { ledger: Ledger; loseFirstAck?: boolean };

/** The `notes` agent. `loseFirstAck` (demo only): SAVE's first attempt writes, then fails as if its reply was lost. */
export function createNotesAgent({ ledger, loseFirstAck = false }: NotesAgentOptions): AgentPlugin {
  const summarize = defineAction({
    description: "Counts the words of a text and keeps the first `max_words` of them",
    args: z.object({ text: z.string(), max_words: z.number().int().positive().default(20) }),
    outputs: ["summary", "word_count"],
    run: ({ text, max_words }, ctx) => {
      ctx.signal.throwIfAborted();
      const words = text.split(/\s+/).filter(Boolean);
      // Retrying cannot fix bad input: fail at once instead of spending the step's attempts.
      if (words.length === 0) throw new NonRetryableError("nothing to summarize: the text has no words");
      const more = words.length > max_words ? " …" : "";
      return { summary: words.slice(0, max_words).join(" ") + more, word_count: words.length };
    },
  });

  const save = defineAction({
    description: "Saves a note to the ledger (a side effect: never re-run blindly after a crash)",
    args: z.object({ title: z.string().min(1), body: z.string() }),
    outputs: ["note_id"],
    idempotent: false,
    run: async ({ title, body }, ctx) => {
      await sleep(20, undefined, { signal: ctx.signal }); // pretend I/O that an interrupt can abort
      // Same key on every retry and after crash recovery: a second call finds the first write.
      const key = ctx.idempotencyKey;
      if (!ledger.has(key)) ledger.set(key, { title, body, saved_at: new Date().toISOString() }).save();
      if (loseFirstAck && ctx.attempt === 1) throw new Error("connection reset after the write");
      return { note_id: key };
    },
  });

  return defineAgent({ name: "notes", description: "Notes", actions: { SUMMARIZE: summarize, SAVE: save } });
}
