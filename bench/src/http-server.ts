/**
 * Child process of the HTTP benchmark: Tandem's handler on node:http and a bare node:http JSON
 * server side by side, so autocannon (in the parent) does not share their event loop.
 * Prints one JSON line `{ tandem, bare, id }` once both listen.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createEngine, defineAgent, MemoryStore } from "@tandem/core";
import { createHandler } from "@tandem/http-adapter";
import { toNodeListener } from "@tandem/http-adapter/node";

const echo = defineAgent({
  name: "util",
  actions: {
    ECHO: { description: "echo", outputs: ["value"], run: (a: { value?: unknown }) => ({ value: a.value }) },
  },
});
const engine = createEngine({ store: new MemoryStore(), agents: [echo] });
const workflow = await engine.createWorkflow([
  { id: "s1", agent: "util", action: "ECHO", args: { value: ["a", "b"] }, outputs: ["value"] },
  { id: "s2", agent: "util", action: "ECHO", args: { value: "$value" }, depends_on: ["s1"] },
]);
await engine.onIdle();
const record = await engine.getWorkflow(workflow.id);

const tandem = createServer(toNodeListener(createHandler({ engine, allowedHosts: ["*"] })));
// The baseline does the same work a minimal JSON API must: route, read, parse, serialise.
const bare = createServer((req, res) => {
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(record));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString());
    res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ ...record, steps: body.steps }));
  });
});
const listen = (s: typeof tandem) =>
  new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)));
console.log(JSON.stringify({ tandem: await listen(tandem), bare: await listen(bare), id: workflow.id }));
