/**
 * HTTP suite: autocannon against `GET /api/workflows/{id}` and `POST /api/workflows` on Tandem's
 * handler (node glue, MemoryStore), next to a bare node:http JSON server measured in the same run.
 * The servers run in a child process so the load generator does not share their event loop.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Row } from "./row.js";

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<Result>;

const body = JSON.stringify({
  start: false,
  steps: [
    { id: "s1", agent: "util", action: "ECHO", args: { value: "AI news" }, outputs: ["value"] },
    { id: "s2", agent: "util", action: "ECHO", args: { value: "$value" }, depends_on: ["s1"] },
  ],
});

export async function benchHttp(options: { quick?: boolean } = {}): Promise<Row[]> {
  const autocannon = (await import("autocannon" as string)).default as Autocannon;
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL("./http-server.ts", import.meta.url))],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`benchmark server exited with ${code}`)));
    });
    const ports = JSON.parse(line) as { tandem: number; bare: number; id: string };
    const duration = options.quick ? 3 : 10;
    const run = async (port: number, path: string, post: boolean) => {
      const common = { url: `http://127.0.0.1:${port}${path}`, connections: 10, pipelining: 1 };
      await autocannon({
        ...common,
        duration: 1,
        ...(post ? { method: "POST", body, headers: { "content-type": "application/json" } } : {}),
      }); // warm-up
      const r = await autocannon({
        ...common,
        duration,
        ...(post ? { method: "POST", body, headers: { "content-type": "application/json" } } : {}),
      });
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${path}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      return r;
    };
    const rows: Row[] = [];
    for (const [name, path, post] of [
      ["GET /api/workflows/{id}", `/api/workflows/${ports.id}`, false],
      ["POST /api/workflows", "/api/workflows", true],
    ] as const) {
      const tandem = await run(ports.tandem, path, post);
      const bare = await run(ports.bare, path, post);
      const ratio = (100 * tandem.requests.average) / bare.requests.average;
      rows.push(
        {
          suite: "http",
          case: `${name} tandem`,
          value: tandem.requests.average,
          unit: "req/s",
          note: `p99 ${tandem.latency.p99} ms`,
        },
        {
          suite: "http",
          case: `${name} bare node:http`,
          value: bare.requests.average,
          unit: "req/s",
          note: `p99 ${bare.latency.p99} ms`,
        },
        {
          suite: "http",
          case: `${name} tandem / bare`,
          value: ratio,
          unit: "%",
          note: post ? "create validates, stores (start: false)" : "target ≥ 50%",
        },
      );
    }
    return rows;
  } finally {
    child.kill("SIGKILL");
  }
}
