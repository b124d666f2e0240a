/**
 * The demo run programmatically (results, the gate, exactly-once SAVE even when retried), and
 * `pnpm start` as a real child process serving the plugin on 127.0.0.1 with PORT=0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkflowRecord } from "@tandem/core";
import { afterAll, describe, expect, it } from "vitest";
import { article, runDemo } from "../src/run-demo.js";

const tempLedger = async () => join(await mkdtemp(join(tmpdir(), "tandem-notes-")), "notes.json");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("runDemo", () => {
  it("summarizes, stops at the gate with resolved args, and saves once after approval", async () => {
    const lines: string[] = [];
    const ledgerPath = await tempLedger();
    const { engine, ledger, atGate, final } = await runDemo({ ledgerPath, log: (l) => lines.push(l) });

    expect(atGate.status).toBe("paused");
    const gate = atGate.steps.find((s) => s.id === "save")!;
    expect(gate.status).toBe("awaiting_human");
    const words = article.split(" ");
    const summary = `${words.slice(0, 8).join(" ")} …`;
    expect(gate.resolved_args).toEqual({ title: `Summary of ${words.length} words`, body: summary });

    expect(final.status).toBe("completed");
    const [summarize, save] = final.steps;
    expect(summarize!.result).toEqual({ summary, word_count: words.length });
    expect(save!.status).toBe("succeeded");
    expect(save!.attempts).toBe(1);
    expect(save!.result).toEqual({ note_id: `${final.id}:save` });
    expect(final.interventions).toHaveLength(1);

    expect([...ledger.entries()]).toEqual([[`${final.id}:save`, expect.objectContaining({ body: summary })]]);
    const onDisk = JSON.parse(await readFile(ledgerPath, "utf8")) as Record<string, unknown>;
    expect(Object.keys(onDisk)).toEqual([`${final.id}:save`]);
    expect(lines).toContain("  step.awaiting_human save");
    expect(lines).toContain("  step.approved save");
    expect(lines.at(-1)).toMatch(/^completed: ledger has 1 note/);
    await engine.close();
  });

  it("retries SAVE after a lost acknowledgement without writing the note twice", async () => {
    const lines: string[] = [];
    const { engine, ledger, final } = await runDemo({
      ledgerPath: await tempLedger(),
      loseFirstAck: true,
      log: (l) => lines.push(l),
    });
    const save = final.steps.find((s) => s.id === "save")!;
    expect(final.status).toBe("completed");
    expect(save.attempts).toBe(2);
    expect(lines).toContain("  step.retrying save");
    expect(ledger.size).toBe(1);
    await engine.close();
  });

  it("fails SUMMARIZE at once (no retries) on a text without words", async () => {
    const { engine } = await runDemo({ ledgerPath: await tempLedger(), log: () => {} });
    const wf = await engine.createWorkflow([
      {
        id: "s",
        agent: "notes",
        action: "SUMMARIZE",
        args: { text: "   " },
        retry: { max_attempts: 5, backoff_ms: 1 },
      },
    ]);
    await engine.onIdle();
    const step = (await engine.getWorkflow(wf.id)).steps[0]!;
    expect(step).toMatchObject({ status: "failed", attempts: 1, error: { name: "NonRetryableError" } });
    expect(engine.validate([{ id: "s", agent: "notes", action: "SAVE", args: { title: "" } }]).length).toBeGreaterThan(
      0,
    );
    await engine.close();
  });
});

describe("pnpm start", () => {
  it("runs the demo, then serves the plugin on 127.0.0.1", async () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
    const child = spawn(tsx, ["--conditions=@tandem/source", "src/main.ts"], {
      cwd: root,
      env: { ...process.env, PORT: "0", NOTES_FILE: await tempLedger() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+)\/api\/agents/.exec(output);
        if (match) resolve(match[1]!);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", () => reject(new Error(`exited early:\n${output}`)));
    });
    expect(output).toMatch(/completed: ledger has 1 note/);

    const agents = (await (await fetch(`${url}/api/agents`)).json()) as { agents: { name: string }[] };
    expect(agents.agents.map((a) => a.name)).toContain("notes");
    const created = await fetch(`${url}/api/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { id: "s", agent: "notes", action: "SUMMARIZE", args: { text: "one two three", max_words: 2 } },
      ]),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as WorkflowRecord;
    await expect
      .poll(async () => ((await (await fetch(`${url}/api/workflows/${id}`)).json()) as WorkflowRecord).steps[0]!.result)
      .toEqual({ summary: "one two …", word_count: 3 });
    child.kill("SIGTERM");
  });
});
