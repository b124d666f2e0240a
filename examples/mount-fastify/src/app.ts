/**
 * An existing Fastify 5 app (its own routes, parsed by Fastify's own JSON parser) with Tandem's
 * routes registered under `/api` by `toFastifyPlugin`.
 * @module
 */
import { createEngine, defineAction, defineAgent, type Engine, MemoryStore } from "@tandem/core";
import { createHandler } from "@tandem/http-adapter";
import { toFastifyPlugin } from "@tandem/http-adapter/fastify";
import Fastify from "fastify";
import { z } from "zod";

/** The agent this app brings: `greeter.HELLO` ({ name } → { text }). */
export const greeter = defineAgent({
  name: "greeter",
  actions: {
    HELLO: defineAction({
      description: "Greets someone",
      args: z.object({ name: z.string().min(1) }),
      outputs: ["text"],
      run: ({ name }) => ({ text: `hello ${name}` }),
    }),
  },
});

const greetBody = z.object({ name: z.string().min(1) });

/** Builds the app around an engine (by default a fresh one on a MemoryStore with the greeter). */
export function createApp(engine: Engine = createEngine({ store: new MemoryStore(), agents: [greeter] })) {
  const app = Fastify();

  // The app's own routes, with Fastify's default JSON parser. The plugin below swaps parsers only
  // inside its own encapsulated scope, so these are unaffected.
  app.get("/health", async () => ({ ok: true }));
  app.post("/greet", async (request, reply) => {
    const body = greetBody.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: "expected { name: string }" });
    // App code can drive the same engine directly; Tandem's routes then show the result.
    const wf = await engine.createWorkflow({
      name: `greet ${body.data.name}`,
      steps: [{ id: "hello", agent: "greeter", action: "HELLO", args: { name: "$name" }, outputs: ["text"] }],
      variables: { name: body.data.name },
    });
    return reply.code(202).send({ workflow_id: wf.id, status_url: `/api/workflows/${wf.id}` });
  });

  // Tandem: every route of SPEC "HTTP routes" under /api (the prefix matches the default basePath).
  app.register(toFastifyPlugin(createHandler({ engine })), { prefix: "/api" });
  app.addHook("onClose", () => engine.close());
  return { app, engine };
}
