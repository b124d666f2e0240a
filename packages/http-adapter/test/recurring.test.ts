import { createScheduler } from "@tandem/core";
import { describe, expect, it } from "vitest";
import { errorOf, makeEngine, setup, twoSteps } from "./helpers.js";

describe("recurring routes", () => {
  it("503 scheduler_unavailable without a scheduler", async () => {
    const { call, post } = setup();
    expect((await errorOf(await call("GET", "/api/workflows/recurring"))).code).toBe("scheduler_unavailable");
    expect((await post("/api/workflows/recurring", { cron: "* * * * *", steps: twoSteps })).status).toBe(503);
    expect((await call("DELETE", "/api/workflows/recurring/x")).status).toBe(503);
  });

  it("create (201), list, read, pause, resume, run now, firings, delete (204) and the refusals", async () => {
    const engine = makeEngine();
    const scheduler = createScheduler({ engine });
    const { call, post } = setup({ engine, scheduler, variables: { user_email: "ada@example.com" } });
    const res = await post("/api/workflows/recurring", {
      cron: "0 9 * * 1",
      timezone: "Europe/London",
      name: "weekly",
      steps: twoSteps,
    });
    expect(res.status).toBe(201);
    const schedule = await res.json();
    expect(schedule).toMatchObject({ cron: "0 9 * * 1", timezone: "Europe/London", last_run_at: null });
    expect(schedule.next_run_at).toMatch(/^\d{4}-\d\d-\d\dT09:00:00|^\d{4}-\d\d-\d\dT08:00:00/);
    const list = await (await call("GET", "/api/workflows/recurring")).json();
    expect(list.schedules.map((s: { id: string }) => s.id)).toEqual([schedule.id]);
    expect((await call("GET", `/api/workflows/recurring/${schedule.id}`)).status).toBe(200);
    expect((await (await post(`/api/workflows/recurring/${schedule.id}/pause`)).json()).paused).toBe(true);
    expect((await (await post(`/api/workflows/recurring/${schedule.id}/resume`)).json()).paused).toBe(false);
    const run = await post(`/api/workflows/recurring/${schedule.id}/run`);
    expect(run.status).toBe(201);
    const { workflow_id } = await run.json();
    const wf = await (await call("GET", `/api/workflows/${workflow_id}`)).json();
    expect(wf.schedule_id).toBe(schedule.id);
    expect(wf.variables).toEqual({ user_email: "ada@example.com" });
    const byschedule = await (await call("GET", `/api/workflows?schedule_id=${schedule.id}`)).json();
    expect(byschedule.workflows.map((w: { id: string }) => w.id)).toEqual([workflow_id]);
    expect((await call("GET", `/api/workflows/recurring/${schedule.id}/firings`)).status).toBe(200);

    const badCron = await post("/api/workflows/recurring", { cron: "61 * * * *", steps: twoSteps });
    expect(badCron.status).toBe(400);
    const badZone = await post("/api/workflows/recurring", {
      cron: "0 9 * * *",
      timezone: "Mars/Olympus",
      steps: twoSteps,
    });
    expect(badZone.status).toBe(400);
    const neither = await post("/api/workflows/recurring", { cron: "0 9 * * *" });
    expect(neither.status).toBe(400);
    expect((await errorOf(neither)).details).toEqual([expect.objectContaining({ path: ["steps"] })]);

    expect((await call("DELETE", `/api/workflows/recurring/${schedule.id}`)).status).toBe(204);
    expect((await call("DELETE", `/api/workflows/recurring/${schedule.id}`)).status).toBe(404);
    expect((await post(`/api/workflows/recurring/${schedule.id}/run`)).status).toBe(404);
    expect((await call("GET", "/api/workflows/recurring/bad.id")).status).toBe(400);
    await scheduler.stop();
    await engine.cancel(workflow_id).catch(() => {});
  });
});

describe("recurring routes: variables", () => {
  it("workflow_id: server defaults < the template workflow's variables < the request's variables", async () => {
    const engine = makeEngine();
    const scheduler = createScheduler({ engine });
    const defaults = { user_email: "server@example.com", tone: "server", region: "eu" };
    const { post } = setup({ engine, scheduler, variables: defaults });
    const template = await engine.createWorkflow(
      {
        steps: [{ id: "a", agent: "test", action: "ECHO", args: { value: "$user_email" } }],
        variables: { user_email: "template@example.com", tone: "template" },
      },
      { start: false },
    );
    const res = await post("/api/workflows/recurring", {
      cron: "0 9 * * *",
      workflow_id: template.id,
      variables: { tone: "request" },
    });
    expect(res.status).toBe(201);
    const schedule = await res.json();
    expect(schedule.variables).toEqual({ user_email: "template@example.com", tone: "request", region: "eu" });
    const bare = await (await post("/api/workflows/recurring", { cron: "0 9 * * *", workflow_id: template.id })).json();
    expect(bare.variables).toEqual({ user_email: "template@example.com", tone: "template", region: "eu" });
    const { workflow_id } = await (await post(`/api/workflows/recurring/${bare.id}/run`)).json();
    expect((await engine.getWorkflow(workflow_id)).variables).toEqual(bare.variables);
    const steps = await post("/api/workflows/recurring", {
      cron: "0 9 * * *",
      steps: twoSteps,
      variables: { tone: "request" },
    });
    expect((await steps.json()).variables).toEqual({ ...defaults, tone: "request" });
    await scheduler.stop();
  });
});
