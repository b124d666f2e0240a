/**
 * The one real-time scheduling test (issue 5): a per-second schedule created through HTTP on the
 * local server fires on the wall clock, its runs are listed by schedule, and deleting it stops it.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createLocalServer, type LocalServer } from "../src/server.js";

let server: LocalServer;

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "tandem-recurring-"));
  server = await createLocalServer({ ...loadConfig({ PORT: "0", TANDEM_DATA_DIR: dataDir }), write: () => {} });
});
afterAll(() => server.close());

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api${path}`, { ...init, headers: { "content-type": "application/json", ...init.headers } });

interface Summary {
  id: string;
  status: string;
  schedule_id: string | null;
  scheduled_for: string | null;
}

async function runsOf(scheduleId: string): Promise<Summary[]> {
  const res = await api(`/workflows?schedule_id=${scheduleId}&limit=500`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { workflows: Summary[] }).workflows;
}

describe("a 1-second schedule in real time, through HTTP", () => {
  it("fires once per second slot, tags its runs, and stops when deleted", async () => {
    const created = await api("/workflows/recurring", {
      method: "POST",
      body: JSON.stringify({
        cron: "* * * * * *",
        name: "tick",
        steps: [{ id: "t", agent: "util", action: "ECHO", args: { value: "tick" }, outputs: ["value"] }],
        overlap: "allow",
      }),
    });
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as { id: string; timezone: string; next_run_at: string };
    expect(schedule.timezone).toBe("UTC");
    expect(Date.parse(schedule.next_run_at)).toBeGreaterThan(Date.now() - 1000);

    const deadline = Date.now() + 10_000;
    let runs: Summary[] = [];
    while (Date.now() < deadline) {
      runs = await runsOf(schedule.id);
      if (runs.length >= 3 && runs.every((r) => r.status === "completed")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.every((r) => r.status === "completed" && r.schedule_id === schedule.id)).toBe(true);
    const slots = runs.map((r) => Date.parse(r.scheduled_for!)).sort((a, b) => a - b);
    expect(new Set(slots).size).toBe(slots.length); // one run per slot
    for (const slot of slots) expect(slot % 1000).toBe(0); // slots are whole seconds
    // Consecutive slots, except where a loaded machine let catch-up skip one (recorded, not fired twice).
    for (let i = 1; i < slots.length; i++) expect((slots[i] - slots[i - 1]) % 1000).toBe(0);

    const listed = (await (await api("/workflows/recurring")).json()) as {
      schedules: { id: string; last_run_at: string }[];
    };
    expect(listed.schedules.find((s) => s.id === schedule.id)?.last_run_at).not.toBeNull();

    expect((await api(`/workflows/recurring/${schedule.id}`, { method: "DELETE" })).status).toBe(204);
    const atDelete = (await runsOf(schedule.id)).length;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await runsOf(schedule.id)).length).toBe(atDelete);
    expect((await api(`/workflows/recurring/${schedule.id}`, { method: "DELETE" })).status).toBe(404);
  }, 20_000);
});
