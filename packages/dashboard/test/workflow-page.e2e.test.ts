/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium, see e2e-helpers.ts) against the real
 * local server: selecting steps with the keyboard, supplying the output of a failed step, a workflow
 * deleted elsewhere, the New page's tabs keeping their state, the schedule form's field errors, and
 * the layout at 1366, 768 and 390 px.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalServer, type LocalServer } from "../../../examples/local-server/src/server";
import { ARTIFACTS, eventually, expectedHttpError, launchChromium, watch } from "./e2e-helpers";

let browser: Browser;
let server: LocalServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tandem-dashboard-page-"));
  server = await createLocalServer({ port: 0, dataDir, write: () => {} });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

/** Calls the API as another client would (another tab, a script). */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function createWorkflow(body: unknown): Promise<string> {
  const { status, json } = await api("POST", "/workflows", body);
  expect(status).toBe(201);
  return (json as { id: string }).id;
}

/** Presses Tab until the focused element matches `selector`: proves it is reachable by keyboard. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const echo = (id: string, value: unknown, depends_on: string[] = []) => ({
  id,
  agent: "util",
  action: "ECHO",
  args: { value },
  depends_on,
});

describe("workflow page in Chromium", () => {
  it("selects steps with Tab, Enter and Space in the graph and the table; Edit args starts from the step's args", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems = watch(page, server.url);
    const name = "שלום keyboard";
    const id = await createWorkflow({ name, steps: [echo("a", 1), echo("b", 2, ["a"])], start: false });
    await page.goto(`${server.url}/#/workflows/${id}?step=b`);
    const panel = page.getByTestId("step-panel");
    await eventually(() => panel.getAttribute("data-step-id")).toBe("b");
    // The right-to-left name is isolated, so the id after it keeps its order.
    expect(await page.locator("h1 bdi").textContent()).toBe(name);
    expect(await page.getByRole("button", { name: "Step a, pending" }).count()).toBe(1);

    const nodeA = page.locator('g[data-step-id="a"]');
    await tabTo(page, 'g[data-step-id="a"]');
    expect(await nodeA.locator("rect.focus-ring").evaluate((el) => getComputedStyle(el).visibility)).toBe("visible");
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-keyboard-focus.png") });
    await page.keyboard.press(" ");
    await eventually(() => panel.getAttribute("data-step-id")).toBe("a");
    expect(await nodeA.getAttribute("aria-current")).toBe("true");
    await tabTo(page, 'g[data-step-id="b"]');
    await page.keyboard.press("Enter");
    await eventually(() => panel.getAttribute("data-step-id")).toBe("b");

    await tabTo(page, 'tr[data-step-id="a"] button');
    await page.keyboard.press("Enter");
    await eventually(() => panel.getAttribute("data-step-id")).toBe("a");
    await tabTo(page, 'tr[data-step-id="b"] button');
    await page.keyboard.press(" ");
    await eventually(() => panel.getAttribute("data-step-id")).toBe("b");
    expect(await page.locator('tr[data-step-id="b"]').getAttribute("class")).toContain("selected");

    // Edit args… opens on the step's args, not on what was typed and cancelled…
    const args = page.locator("textarea[name=args]");
    await page.getByRole("button", { name: "Edit args…" }).click();
    expect(JSON.parse(await args.inputValue())).toEqual({ value: 2 });
    await args.fill('{ "value": 99 }');
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Edit args…" }).click();
    expect(JSON.parse(await args.inputValue())).toEqual({ value: 2 });
    await page.getByRole("button", { name: "Cancel" }).click();
    // …and on what they became when someone else edited them.
    expect((await api("POST", `/workflows/${id}/intervene`, { step_id: "b", args: { value: 7 } })).status).toBe(200);
    await eventually(() => panel.textContent()).toContain('"value": 7');
    await page.getByRole("button", { name: "Edit args…" }).click();
    expect(JSON.parse(await args.inputValue())).toEqual({ value: 7 });

    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("offers Supply output… on a failed step, and the workflow then goes on by itself", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems = watch(page, server.url);
    const fetchStep = { id: "f", agent: "http", action: "FETCH", args: { url: "http://127.0.0.1:1/" } };
    const id = await createWorkflow({
      name: "Fails, then gets an output",
      steps: [fetchStep, echo("n", "next", ["f"])],
    });
    await page.goto(`${server.url}/#/workflows/${id}?step=f`);
    const workflow = page.getByTestId("workflow");
    await eventually(() => workflow.getAttribute("data-status")).toBe("failed");
    await eventually(() => page.locator('g[data-step-id="n"]').getAttribute("data-status")).toBe("skipped");
    expect(await page.getByTestId("failed-output-hint").textContent()).toContain("goes on by itself");
    expect(await page.getByRole("button", { name: "Edit args…" }).count()).toBe(0);

    await page.getByRole("button", { name: "Supply output…" }).click();
    await page.locator("textarea[name=output]").fill('{ "status": 200, "body": "supplied by a person" }');
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-failed-output.png") });
    await page.getByRole("button", { name: "Record output" }).click();

    await eventually(() => workflow.getAttribute("data-status")).toBe("completed");
    await eventually(() => page.locator('g[data-step-id="n"]').getAttribute("data-status")).toBe("succeeded");
    expect(await page.locator('g[data-step-id="f"]').getAttribute("data-status")).toBe("succeeded");
    const { json } = await api("GET", `/workflows/${id}`);
    const steps = (json as { steps: { id: string; result: unknown }[] }).steps;
    expect(steps.find((s) => s.id === "n")?.result).toEqual({ value: "next" });

    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("says so when the workflow is deleted elsewhere, with a link back to the list", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems = watch(page, server.url);
    const id = await createWorkflow({
      name: "Deleted elsewhere",
      steps: [{ id: "w", agent: "util", action: "WAIT", args: { ms: 60_000 } }],
    });
    await page.goto(`${server.url}/#/workflows/${id}`);
    await eventually(() => page.locator('g[data-step-id="w"]').getAttribute("data-status")).toBe("running");
    await eventually(() => page.getByTestId("live").textContent()).toContain("live");

    expect((await api("DELETE", `/workflows/${id}`)).status).toBe(204);
    const gone = page.getByTestId("workflow-deleted");
    await eventually(() => gone.textContent()).toContain("This workflow was deleted");
    expect(await gone.textContent()).toContain(id);
    expect(await page.getByTestId("workflow").count()).toBe(0);
    expect(await page.getByText("reconnecting").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-deleted.png") });
    await gone.getByRole("link", { name: "All workflows" }).click();
    await page.getByRole("heading", { name: "Workflows" }).waitFor();

    // Opening an id the server does not have says the same, without pretending it is loading.
    await page.goto(`${server.url}/#/workflows/no-such-workflow`);
    await eventually(() => gone.textContent()).toContain("No such workflow");

    expect(problems.filter((p) => !expectedHttpError(p))).toEqual([]);
    await page.close();
  }, 60_000);

  it("keeps each tab's work on New, and says which settings configure a model", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems = watch(page, server.url);
    await page.goto(`${server.url}/#/new`);
    await page.getByRole("button", { name: "Insert the example" }).click();
    await page.locator("input[name=name]").fill("Kept across tabs");
    const pasted = await page.locator("textarea[name=steps]").inputValue();
    expect(pasted).toContain("SEND_EMAIL");

    await page.getByRole("tab", { name: "From a sentence" }).click();
    await page.locator("textarea[name=prompt]").fill("Search for AI news and mail it to me");
    await page.getByRole("button", { name: "Draw a plan" }).click();
    const alert = page.getByRole("alert");
    await eventually(() => alert.textContent()).toContain("OPENAI_MODEL");
    expect(await alert.textContent()).toContain("OPENAI_BASE_URL");
    expect(await alert.textContent()).toContain("OPENAI_API_KEY alone is not enough");

    await page.getByRole("tab", { name: "Wizard" }).click();
    await page.locator("input[name=message]").fill("half a thought");
    await page.getByRole("tab", { name: "Paste steps" }).click();
    expect(await page.locator("textarea[name=steps]").inputValue()).toBe(pasted);
    expect(await page.locator("input[name=name]").inputValue()).toBe("Kept across tabs");
    expect(await page.locator('[data-testid="dag"] g[data-step-id]').count()).toBe(2);
    await page.getByRole("tab", { name: "From a sentence" }).click();
    expect(await page.locator("textarea[name=prompt]").inputValue()).toBe("Search for AI news and mail it to me");
    await page.getByRole("tab", { name: "Wizard" }).click();
    expect(await page.locator("input[name=message]").inputValue()).toBe("half a thought");
    expect(await page.getByRole("tab", { name: "Wizard" }).getAttribute("aria-selected")).toBe("true");

    expect(problems.filter((p) => !expectedHttpError(p))).toEqual([]);
    await page.close();
  }, 60_000);

  it("outlines the field a schedule error is about, and drops the saved notice once the schedule is gone", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems = watch(page, server.url);
    await page.goto(`${server.url}/#/schedules`);
    await page.getByRole("button", { name: "New schedule" }).click();
    const cron = page.locator("input[name=cron]");
    const timezone = page.locator("input[name=timezone]");
    await timezone.fill("Mars/Olympus");
    await eventually(() => timezone.getAttribute("aria-invalid")).toBe("true");
    expect(await cron.getAttribute("aria-invalid")).toBe("false");
    await timezone.fill("UTC");
    await cron.fill("0 9 * *");
    await eventually(() => cron.getAttribute("aria-invalid")).toBe("true");
    expect(await timezone.getAttribute("aria-invalid")).toBe("false");

    await cron.fill("0 9 * * 1-5");
    await page.locator("textarea[name=schedule-variables]").fill('{ "user_email": "a@example.com" }');
    await page.getByRole("button", { name: "Save schedule" }).click();
    const notice = page.getByText(/^Saved sch_/);
    await eventually(() => notice.count()).toBe(1);
    const row = page.locator("tr[data-schedule-id]");
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Really delete?" }).click();
    await eventually(() => row.count()).toBe(0);
    expect(await notice.count()).toBe(0);

    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("fits long step ids at 1366 px and stacks the panels at 768 and 390 px", async () => {
    const longId = `step_${"x".repeat(59)}`;
    const id = await createWorkflow({
      name: "Long ids",
      steps: [echo(longId, 1), echo("mail", 2, [longId])],
      start: false,
    });
    for (const width of [1366, 768, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${server.url}/#/workflows/${id}`);
      await page.getByTestId("step-panel").waitFor();
      // Nothing is wider than the window, and the table stays inside its panel.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const table = await page.locator("table.steps").boundingBox();
      const tablePanel = await page.locator(".table-scroll").first().boundingBox();
      const stepPanel = await page.getByTestId("step-panel").boundingBox();
      if (!table || !tablePanel || !stepPanel) throw new Error("not drawn");
      if (width === 1366) {
        expect(table.x + table.width).toBeLessThanOrEqual(tablePanel.x + tablePanel.width);
        expect(table.x + table.width).toBeLessThan(stepPanel.x);
        expect(await page.locator(`tr[data-step-id="${longId}"] button`).getAttribute("title")).toBe(longId);
      } else {
        expect(stepPanel.y).toBeGreaterThan(tablePanel.y + tablePanel.height);
      }
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-layout-${width}.png`), fullPage: true });
      await page.close();
    }
  }, 60_000);
});
