/**
 * What the dashboard's Chromium suites share: Debian's browser, a watch on what a page must not do,
 * and patient polling.
 * @module
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
/** Screenshots go here (git-ignored). */
export const ARTIFACTS = resolve(import.meta.dirname, "../../../test-artifacts");

/** Headless Debian Chromium; fails, never skips, when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run this suite`,
    );
  }
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** What a page did that it must not: console errors, CSP violations, requests leaving the server. */
export function watch(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push(`request: ${r.url()}`);
  });
  return problems;
}

/**
 * A console error the browser logs by itself for a 4xx/5xx that the test caused on purpose (400, 503),
 * or for the page's last re-read of a workflow the test just deleted (404).
 */
export const expectedHttpError = (p: string) =>
  /console: Failed to load resource: the server responded with a status of (400|404|503)/.test(p);

/** Polls until the assertion holds; generous because CI runs this next to other suites on 2 cores. */
export function eventually<T>(read: () => T | Promise<T>): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout: 15_000, interval: 50 });
}
