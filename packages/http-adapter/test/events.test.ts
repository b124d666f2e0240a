import { createEngine, defineAction, defineAgent, MemoryStore, NonRetryableError } from "@tandem/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createHandler } from "../src/index.js";
import { ORIGIN, testAgent } from "./helpers.js";

interface Frame {
  id: number;
  event: string;
  data: { seq: number; type: string; workflow_id: string };
}

/** Reads SSE frames until the stream ends or `until` says stop. */
async function readFrames(
  response: Response,
  until?: (f: Frame[]) => boolean,
): Promise<{ frames: Frame[]; ended: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = "";
  for (;;) {
    if (until?.(frames)) {
      await reader.cancel();
      return { frames, ended: false };
    }
    const { done, value } = await reader.read();
    if (done) return { frames, ended: true };
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split("\n")
          .filter((l) => !l.startsWith(":"))
          .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]),
      );
      if (fields.event) frames.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data!) });
      end = buffer.indexOf("\n\n");
    }
  }
}

function setupGated() {
  let release!: () => void;
  const gate = { release: new Promise<void>((r) => (release = r)) };
  const engine = createEngine({ store: new MemoryStore(), agents: [testAgent(gate)] });
  const handler = createHandler({ engine });
  const get = (path: string, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    handler(new Request(`${ORIGIN}${path}`, { headers: { host: "127.0.0.1:8000", ...headers }, signal }));
  return { engine, handler, get, release: () => release() };
}

/** Like setupGated, plus `flaky.RUN`, which fails (for good) until `heal()` is called. */
function setupFlaky() {
  let release!: () => void;
  const gate = { release: new Promise<void>((r) => (release = r)) };
  let failing = true;
  const flaky = defineAgent({
    name: "flaky",
    actions: {
      RUN: defineAction({
        description: "fails until healed",
        args: z.object({}),
        run: () => {
          if (failing) throw new NonRetryableError("not yet");
          return { ok: true };
        },
      }),
    },
  });
  const engine = createEngine({ store: new MemoryStore(), agents: [testAgent(gate), flaky] });
  const handler = createHandler({ engine });
  const get = (path: string) => handler(new Request(`${ORIGIN}${path}`, { headers: { host: "127.0.0.1:8000" } }));
  return { engine, get, release: () => release(), heal: () => (failing = false) };
}

const flakySteps = [
  { id: "f", agent: "flaky", action: "RUN" },
  { id: "w", agent: "test", action: "WAIT", depends_on: ["f"] },
];

const steps = [
  { id: "a", agent: "test", action: "WAIT" },
  { id: "b", agent: "test", action: "ECHO", args: { value: 1 }, depends_on: ["a"] },
];

describe("GET /workflows/{id}/events", () => {
  it("streams history first, then live events, and closes when the workflow completes", async () => {
    const { engine, get, release } = setupGated();
    const wf = await engine.createWorkflow({ steps });
    const res = await get(`/api/workflows/${wf.id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reading = readFrames(res);
    await new Promise((r) => setTimeout(r, 20)); // let history go out before the live part happens
    release();
    const { frames, ended } = await reading;
    expect(ended).toBe(true);
    const seqs = frames.map((f) => f.id);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBe(1);
    expect(frames.map((f) => f.event)).toEqual(
      expect.arrayContaining(["workflow.created", "step.started", "step.succeeded"]),
    );
    expect(frames.at(-1)!.event).toBe("workflow.completed");
    expect(frames.every((f) => f.data.seq === f.id && f.data.type === f.event)).toBe(true);
    const all = await engine.listEvents(wf.id);
    expect(seqs).toEqual(all.map((e) => e.seq)); // nothing lost, nothing twice
    expect(engine.events.listenerCount("event")).toBe(0);
  });

  it("honours Last-Event-ID, and a finished workflow's stream ends after its history", async () => {
    const { engine, get, release } = setupGated();
    release();
    const wf = await engine.createWorkflow({ steps });
    await engine.onIdle();
    const all = await engine.listEvents(wf.id);
    const { frames, ended } = await readFrames(await get(`/api/workflows/${wf.id}/events`, { "last-event-id": "3" }));
    expect(ended).toBe(true);
    expect(frames.map((f) => f.id)).toEqual(all.filter((e) => e.seq > 3).map((e) => e.seq));
    const after = await readFrames(
      await get(`/api/workflows/${wf.id}/events`, { "last-event-id": String(all.at(-1)!.seq) }),
    );
    expect(after).toEqual({ frames: [], ended: true });
  });

  it("a past workflow.failed does not end the stream of a workflow resumed since: it runs to completed", async () => {
    const { engine, get, release, heal } = setupFlaky();
    const wf = await engine.createWorkflow({ steps: flakySteps });
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("failed");
    heal();
    await engine.resume(wf.id); // running again, `w` waits on the gate
    const res = await get(`/api/workflows/${wf.id}/events?after=0`);
    const reading = readFrames(res);
    await new Promise((r) => setTimeout(r, 20)); // history (with its workflow.failed) goes out first
    release();
    const { frames, ended } = await reading;
    expect(ended).toBe(true);
    const events = frames.map((f) => f.event);
    expect(events).toContain("workflow.failed");
    expect(events.indexOf("workflow.failed")).toBeLessThan(events.indexOf("workflow.resumed"));
    expect(events.at(-1)).toBe("workflow.completed");
    const all = await engine.listEvents(wf.id);
    expect(frames.map((f) => f.id)).toEqual(all.map((e) => e.seq)); // one connection, all of it
    expect(engine.events.listenerCount("event")).toBe(0);

    // The same history read after the fact: also through workflow.completed.
    const later = await readFrames(await get(`/api/workflows/${wf.id}/events`));
    expect(later.ended).toBe(true);
    expect(later.frames.map((f) => f.id)).toEqual(all.map((e) => e.seq));
  });

  it("a workflow that is failed now still ends the stream after its history", async () => {
    const { engine, get } = setupFlaky();
    const wf = await engine.createWorkflow({ steps: flakySteps });
    await engine.onIdle();
    expect((await engine.getWorkflow(wf.id)).status).toBe("failed");
    const { frames, ended } = await readFrames(await get(`/api/workflows/${wf.id}/events`));
    expect(ended).toBe(true);
    expect(frames.at(-1)!.event).toBe("workflow.failed");
    expect(frames.map((f) => f.id)).toEqual((await engine.listEvents(wf.id)).map((e) => e.seq));
    expect(engine.events.listenerCount("event")).toBe(0);
  });

  it("removes its listener when the client disconnects (no leak)", async () => {
    const { engine, get } = setupGated();
    const wf = await engine.createWorkflow({ steps });
    const before = engine.events.listenerCount("event");
    const streams = [];
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const res = await get(`/api/workflows/${wf.id}/events`, {}, controller.signal);
      streams.push({ controller, res });
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(engine.events.listenerCount("event")).toBe(before + 5);
    for (const { controller } of streams.slice(0, 3)) controller.abort();
    await readFrames(streams[3]!.res, (f) => f.length > 0); // a reader that cancels the body
    await streams[4]!.res.body!.cancel();
    expect(engine.events.listenerCount("event")).toBe(before);
    await engine.cancel(wf.id);
  });

  it("ends the stream when the workflow is deleted", async () => {
    const { engine, get } = setupGated();
    const wf = await engine.createWorkflow({ steps });
    const reading = readFrames(await get(`/api/workflows/${wf.id}/events`));
    await new Promise((r) => setTimeout(r, 10));
    await engine.deleteWorkflow(wf.id);
    const { ended } = await reading;
    expect(ended).toBe(true);
    expect(engine.events.listenerCount("event")).toBe(0);
  });
});
