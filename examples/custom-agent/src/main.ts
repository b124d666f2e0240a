/**
 * `pnpm --filter @tandem/example-custom-agent start`: runs the demo, then serves the same engine
 * (with the notes plugin) on 127.0.0.1:PORT so you can create more workflows with curl.
 * @module
 */
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHandler } from "@tandem/http-adapter";
import { toNodeListener } from "@tandem/http-adapter/node";
import { runDemo } from "./run-demo.js";

const ledgerPath = process.env.NOTES_FILE ?? join(tmpdir(), "tandem-notes.json");
const { engine } = await runDemo({ ledgerPath, loseFirstAck: process.env.LOSE_FIRST_ACK === "1" });

const server = createServer(toNodeListener(createHandler({ engine })));
server.listen(Number(process.env.PORT ?? 8001), "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  console.log(`tandem with the notes agent: http://127.0.0.1:${port}/api/agents`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => server.close(() => void engine.close().then(() => process.exit(0))));
