/**
 * The dashboard in headless Chromium against the real local server (SQLite, example agents, outbox),
 * started in-process on port 0 with a fake SearXNG endpoint whose answer the test holds back, so the
 * page is seen turning s1 from running to succeeded live. The browser is Debian's /usr/bin/chromium
 * (see e2e-helpers.ts); workflow-page.e2e.test.ts covers the keyboard, failed steps and deletions.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScriptedPlanner } from "@tandem/core/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalServer, type LocalServer } from "../../../examples/local-server/src/server";
import { ARTIFACTS, eventually, expectedHttpError, launchChromium, watch } from "./e2e-helpers";

// A search result written to look like markup: the page must show it as text and load nothing.
const HOSTILE_TITLE = '<img src="http://198.51.100.7/x.png" onerror="alert(1)"> <b>AI news</b> today';

interface FakeSearch {
  url: string;
  server: Server;
  queries: string[];
  /** Answers the held requests and every later one. */
  release(): void;
}

/** A SearXNG-compatible `/search?format=json` that holds its answers until released. */
async function startFakeSearch(): Promise<FakeSearch> {
  const held: (() => void)[] = [];
  let released = false;
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    queries.push(url.searchParams.get("q") ?? "");
    const answer = () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          results: [
            { title: HOSTILE_TITLE, url: "https://news.example.org/ai", content: "A <script>x()</script> snippet" },
            { title: "Second story", url: "https://example.com/2", content: "plain" },
          ],
        }),
      );
    };
    if (released) answer();
    else held.push(answer);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    queries,
    release() {
      released = true;
      for (const answer of held.splice(0)) answer();
    },
  };
}

let browser: Browser;
let search: FakeSearch;
let server: LocalServer;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tandem-dashboard-"));
  search = await startFakeSearch();
  server = await createLocalServer({ port: 0, dataDir, searchUrl: search.url, write: (l) => logs.push(l) });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise<void>((done) => (search ? search.server.close(() => done()) : done()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 30_000);

describe("dashboard in Chromium", () => {
  it("creates the documented workflow, shows s1 turn green live, edits s2's recipient, approves, completes", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page, server.url);
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { name: "Workflows" }).waitFor();

    await page.getByRole("link", { name: "New workflow" }).click();
    await page.getByRole("button", { name: "Insert the example" }).click();
    await page.locator("input[name=name]").fill("AI news digest");
    await page.locator("textarea[name=variables]").fill('{ "user_email": "a@example.com" }');
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-new.png") });
    await page.getByRole("button", { name: "Create workflow" }).click();

    const workflow = page.getByTestId("workflow");
    await workflow.waitFor();
    const id = await workflow.getAttribute("data-workflow-id");
    expect(id).toBeTruthy();
    const s1 = page.locator('g[data-step-id="s1"]');
    const s2 = page.locator('g[data-step-id="s2"]');
    // The search is held: s1 is drawn running, and turns green once it answers, with no reload.
    await eventually(() => s1.getAttribute("data-status")).toBe("running");
    await eventually(() => page.getByTestId("live").textContent()).toContain("live");
    search.release();
    await eventually(() => s1.getAttribute("data-status")).toBe("succeeded");
    expect(await s1.locator("rect.box").getAttribute("stroke")).toBe("var(--s-succeeded)");
    await eventually(() => s2.getAttribute("data-status")).toBe("awaiting_human");
    expect(search.queries).toEqual(["AI news"]);

    // Exactly what would run: the resolved recipient and body, the hostile title as plain text.
    await s2.click();
    const wouldRun = page.getByTestId("would-run");
    await eventually(() => wouldRun.locator("[data-arg=to]").textContent()).toContain("a@example.com");
    // The body is the resolved `$results` list, shown as JSON text: the title's markup stays characters.
    expect(await wouldRun.locator("[data-arg=body]").textContent()).toContain(JSON.stringify(HOSTILE_TITLE));
    expect(await page.locator("img, script:not([src])").count()).toBe(0);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-decide.png") });

    await page.getByRole("button", { name: "Edit args…" }).click();
    const args = page.locator("textarea[name=args]");
    await args.fill('{ "to": "b@example.com", "body": "$results", }');
    await eventually(() => page.getByText(/Line 1, column \d+: expected a quoted key/).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Save and approve" }).isDisabled()).toBe(true);
    await args.fill('{ "to": "b@example.com", "subject": "AI news", "body": "$results" }');
    await page.getByRole("button", { name: "Save and approve" }).click();

    await eventually(() => workflow.getAttribute("data-status")).toBe("completed");
    expect(await s2.getAttribute("data-status")).toBe("succeeded");
    await eventually(() => page.getByTestId("step-result").textContent()).toContain("message_id");

    // The mail went to the edited recipient.
    const outbox = join(dataDir, "outbox");
    const files = await readdir(outbox);
    expect(files).toHaveLength(1);
    const eml = await readFile(join(outbox, files[0]), "utf8");
    expect(eml).toMatch(/^To: b@example\.com$/m);
    expect(eml).not.toContain("a@example.com");
    expect(eml).toContain("https://news.example.org/ai");

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png") });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("shows the API's refusals readably and manages schedules", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page, server.url);
    await page.goto(`${server.url}/#/new`);
    const cycle = [
      { id: "a", agent: "util", action: "ECHO", args: { value: 1 }, depends_on: ["b"] },
      { id: "b", agent: "util", action: "ECHO", args: { value: 2 }, depends_on: ["a"] },
    ];
    await page.locator("textarea[name=steps]").fill(JSON.stringify(cycle));
    await page.getByRole("button", { name: "Create workflow" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.getAttribute("data-error-code")).toBeTruthy();
    expect(await alert.locator("li").count()).toBeGreaterThan(0);
    expect(await alert.textContent()).toMatch(/a -> b -> a|b -> a -> b/);

    // No model configured: the sentence tab says so plainly.
    await page.getByRole("tab", { name: "From a sentence" }).click();
    await page.locator("textarea[name=prompt]").fill("Search for AI news and mail it to me");
    await page.getByRole("button", { name: "Draw a plan" }).click();
    await eventually(() => page.getByRole("alert").textContent()).toContain("No language model is configured");

    // The list filters by status; the completed workflow is there, a failed filter is empty.
    await page.goto(`${server.url}/#/`);
    await page.locator("select[name=status]").selectOption("completed");
    await eventually(() => page.locator("tr[data-workflow-id]").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-list.png") });
    await page.locator("select[name=status]").selectOption("failed");
    await eventually(() => page.getByText("No failed workflows.").count()).toBe(1);

    // An edit the engine refuses (re-validated as a whole) shows each problem; then the pending workflow starts.
    const created = await fetch(`${server.url}/api/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "Short wait",
        steps: [{ id: "w", agent: "util", action: "WAIT", args: { ms: 50 } }],
        start: false,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${server.url}/#/workflows/${id}`);
    const workflow = page.getByTestId("workflow");
    await eventually(() => workflow.getAttribute("data-status")).toBe("pending");
    await page.getByRole("button", { name: "Edit args…" }).click();
    await page.locator("textarea[name=args]").fill('{ "ms": "soon" }');
    await page.getByRole("button", { name: "Save args" }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.locator("li").count()).toBeGreaterThan(0);
    expect(await refusal.textContent()).toContain("ms");
    await page.getByRole("button", { name: "Start" }).click();
    await eventually(() => workflow.getAttribute("data-status")).toBe("completed");

    // A failed step shows its error as data; the workflow offers a retry and is no longer followed.
    const refused = await fetch(`${server.url}/api/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ id: "f", agent: "http", action: "FETCH", args: { url: "http://127.0.0.1:1/" } }]),
    });
    const failing = (await refused.json()) as { id: string };
    await page.goto(`${server.url}/#/workflows/${failing.id}`);
    await eventually(() => workflow.getAttribute("data-status")).toBe("failed");
    await eventually(() => page.getByTestId("step-error").textContent()).toContain("127.0.0.1");
    expect(await page.getByRole("button", { name: "Retry failed steps" }).count()).toBe(1);
    expect(await page.getByTestId("live").textContent()).toBe("finished");

    // Interrupt returns the running step to pending; resume runs it again; delete asks twice, then removes.
    const long = await fetch(`${server.url}/api/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "Long wait",
        steps: [{ id: "w", agent: "util", action: "WAIT", args: { ms: 60_000 } }],
      }),
    });
    const longId = ((await long.json()) as { id: string }).id;
    await page.goto(`${server.url}/#/workflows/${longId}`);
    const w = page.locator('g[data-step-id="w"]');
    await eventually(() => w.getAttribute("data-status")).toBe("running");
    await page.getByRole("button", { name: "Interrupt" }).click();
    await eventually(() => workflow.getAttribute("data-status")).toBe("paused");
    await eventually(() => w.getAttribute("data-status")).toBe("pending");
    await page.getByRole("button", { name: "Resume", exact: true }).click();
    await eventually(() => w.getAttribute("data-status")).toBe("running");
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Really delete?" }).click();
    await page.getByRole("heading", { name: "Workflows" }).waitFor();
    expect((await fetch(`${server.url}/api/workflows/${longId}`)).status).toBe(404);

    // Schedules: the next fire times before saving, then pause, resume and delete.
    await page.goto(`${server.url}/#/schedules`);
    await page.getByRole("button", { name: "New schedule" }).click();
    await page.locator("input[name=cron]").fill("0 9 * * 1-5");
    await page.locator("input[name=timezone]").fill("Europe/London");
    await eventually(() => page.getByTestId("cron-preview").locator("li").count()).toBe(5);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-schedule-form.png") });
    await page.locator("input[name=cron]").fill("0 9 * *");
    await eventually(() => page.getByTestId("cron-preview").textContent()).toContain("Expected 5 or 6 fields");
    await page.locator("input[name=cron]").fill("*/15 * * * *");
    await page.locator("input[name=schedule-name]").fill("Quarter-hourly news");
    // The example steps mail `$user_email`: without the variable the server refuses, and says why.
    await page.getByRole("button", { name: "Save schedule" }).click();
    await eventually(() => page.getByRole("alert").textContent()).toContain("user_email");
    await page.locator("textarea[name=schedule-variables]").fill('{ "user_email": "a@example.com" }');
    await page.getByRole("button", { name: "Save schedule" }).click();
    const row = page.locator("tr[data-schedule-id]");
    await eventually(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain("Quarter-hourly news");
    // Run now: a workflow tagged with the schedule opens.
    await row.getByRole("button", { name: "Run now" }).click();
    await page.getByTestId("workflow").waitFor();
    expect(await page.getByTestId("workflow").textContent()).toContain("Schedule");
    await page.goto(`${server.url}/#/schedules`);
    await eventually(() => row.count()).toBe(1);
    await row.getByRole("button", { name: "Pause" }).click();
    await row.getByRole("button", { name: "Resume" }).waitFor();
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Really delete?" }).click();
    await eventually(() => row.count()).toBe(0);

    expect(problems.filter((p) => !expectedHttpError(p))).toEqual([]);
    await page.close();
  }, 90_000);
});

describe("dashboard with a token and a model", () => {
  const TOKEN = "dashboard-test-token-0123456789";
  const plan = [
    { id: "hello", agent: "util", action: "ECHO", args: { value: "hi" }, outputs: ["value"] },
    { id: "pause", agent: "util", action: "WAIT", args: { ms: 600 }, depends_on: ["hello"] },
  ];
  // Plans for `generate`; a question, then a ready draft, for the wizard. Replies hold markup on purpose.
  const planner = new ScriptedPlanner((request) => {
    if (request.kind === "plan") return { steps: plan };
    const turns = request.messages.filter((m) => m.role === "user").length;
    return turns < 2
      ? { reply: "Which words? <b>bold</b> <a href='http://198.51.100.7'>link</a>", steps: null, ready: false }
      : { reply: "Here is the plan.", steps: plan.slice(0, 1), ready: true };
  });
  let guarded: LocalServer;
  let guardedDir: string;

  beforeAll(async () => {
    guardedDir = await mkdtemp(join(tmpdir(), "tandem-dashboard-token-"));
    guarded = await createLocalServer({ port: 0, dataDir: guardedDir, token: TOKEN, planner, write: () => {} });
  }, 30_000);
  afterAll(async () => {
    await guarded?.close();
    if (guardedDir) await rm(guardedDir, { recursive: true, force: true });
  });

  it("asks for the token once, follows a generated plan live, builds one with the wizard, pages the list", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page, guarded.url);
    await page.goto(`${guarded.url}/`);
    await page.locator("input[name=token]").fill(TOKEN);
    await page.getByRole("button", { name: "Use token" }).click();
    await eventually(() => page.getByText("No workflows yet.").count()).toBe(1);
    await page.reload();
    await eventually(() => page.getByText("No workflows yet.").count()).toBe(1);
    expect(await page.locator("input[name=token]").count()).toBe(0);

    // A sentence becomes a drawn plan that runs only when started; the stream carries the token.
    await page.goto(`${guarded.url}/#/new`);
    await page.getByRole("tab", { name: "From a sentence" }).click();
    await page.locator("textarea[name=prompt]").fill("Say hi, then wait a little");
    await page.getByRole("button", { name: "Draw a plan" }).click();
    const drawn = page.getByTestId("plan");
    await eventually(() => drawn.locator("g[data-step-id]").count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-plan.png") });
    const { workflows } = (await (
      await fetch(`${guarded.url}/api/workflows`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { workflows: { status: string }[] };
    expect(workflows.map((w) => w.status)).toEqual(["pending"]);
    await page.getByRole("button", { name: "Start it" }).click();
    const workflow = page.getByTestId("workflow");
    await eventually(() => page.locator('g[data-step-id="pause"]').getAttribute("data-status")).toBe("running");
    await eventually(() => page.getByTestId("live").textContent()).toContain("live");
    await eventually(() => workflow.getAttribute("data-status")).toBe("completed");

    // The wizard: its reply is text (no element made from it), then a ready draft becomes a workflow.
    await page.goto(`${guarded.url}/#/new`);
    await page.getByRole("tab", { name: "Wizard" }).click();
    await page.locator("input[name=message]").fill("I want a greeting");
    await page.getByRole("button", { name: "Send" }).click();
    const chat = page.getByTestId("wizard-chat");
    await eventually(() => chat.textContent()).toContain("<b>bold</b>");
    expect(await chat.locator("b, a").count()).toBe(0);
    await page.locator("input[name=message]").fill("Just say hi");
    await page.getByRole("button", { name: "Send" }).click();
    await eventually(() => page.locator('g[data-step-id="hello"]').count()).toBe(1);
    await page.getByRole("button", { name: "Create workflow" }).click();
    await workflow.waitFor();
    expect(await page.locator('g[data-step-id="hello"]').count()).toBe(1);

    // Paging: 25 a page, newest first, following next_cursor and back.
    const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    for (let i = 0; i < 24; i++) {
      const body = JSON.stringify({
        name: `Echo ${i}`,
        steps: [{ id: "e", agent: "util", action: "ECHO", args: { value: i } }],
      });
      expect((await fetch(`${guarded.url}/api/workflows`, { method: "POST", headers: auth, body })).status).toBe(201);
    }
    await page.goto(`${guarded.url}/#/`);
    const rows = page.locator("tr[data-workflow-id]");
    await eventually(() => rows.count()).toBe(25);
    expect(await rows.first().textContent()).toContain("Echo 23");
    await page.getByRole("button", { name: "Older →" }).click();
    await eventually(() => page.getByText("Page 2").count()).toBe(1);
    // 24 echoes + the generated plan + the wizard's workflow = 26: one on page 2, the oldest.
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).not.toContain("Echo");
    expect(await page.getByRole("button", { name: "Older →" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "← Newer" }).click();
    await eventually(() => rows.count()).toBe(25);

    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  }, 90_000);
});
