/**
 * `pnpm start` as a real child process: it listens, serves, stops on SIGTERM with exit code 0, and a
 * step that was running when it stopped runs again after a restart on the same data directory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function start(env: Record<string, string>): {
  child: ChildProcess;
  url: Promise<string>;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(tsx, ["--conditions=@tandem/source", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+) /.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", () => reject(new Error(`exited early:\n${output}`)));
  });
  url.catch(() => {}); // awaited by the tests that expect a start
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, url, output: () => output, exit };
}

describe("main.ts", () => {
  it("serves, exits 0 on SIGTERM, and re-runs an interrupted step after restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "tandem-main-"));
    const first = start({ PORT: "0", TANDEM_DATA_DIR: dataDir });
    const url = await first.url;
    const created = await fetch(`${url}/api/workflows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ id: "w", agent: "util", action: "WAIT", args: { ms: 600_000 } }]),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (let i = 0; i < 100; i++) {
      const wf = (await (await fetch(`${url}/api/workflows/${id}`)).json()) as { steps: { status: string }[] };
      if (wf.steps[0]!.status === "running") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill("SIGTERM");
    expect(await first.exit).toBe(0);
    expect(first.output()).toContain("SIGTERM: stopping");

    const second = start({ PORT: "0", TANDEM_DATA_DIR: dataDir });
    const url2 = await second.url;
    let wf = { status: "", steps: [{ status: "", attempts: 0 }] };
    for (let i = 0; i < 100; i++) {
      wf = (await (await fetch(`${url2}/api/workflows/${id}`)).json()) as typeof wf;
      if (wf.steps[0]!.status === "running") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(wf.status).toBe("running");
    expect(wf.steps[0]!.status).toBe("running");
    second.child.kill("SIGKILL");
  });

  it("refuses to bind beyond loopback without a token", async () => {
    const run = start({ HOST: "0.0.0.0", PORT: "0", TANDEM_TOKEN: "" });
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain("set TANDEM_TOKEN");
  });
});
