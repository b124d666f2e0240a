/**
 * Glue for Fastify 5. For adapter authors: Fastify is imported as types only. Inside this plugin's
 * encapsulated scope the host's content-type parsers are replaced by one that leaves the stream
 * unread (the handler owns body limits and errors), and the reply is hijacked so the fetch
 * Response is streamed as is (SSE included). Register with a prefix that matches `basePath`.
 * @example
 * app.register(toFastifyPlugin(createHandler({ engine })), { prefix: "/api" });
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { toRequest, writeResponse } from "./node.js";
import type { FetchHandler } from "./types.js";

/** A Fastify plugin serving Tandem's routes under the prefix it is registered with. */
export function toFastifyPlugin(handler: FetchHandler): FastifyPluginAsync {
  return async (instance: FastifyInstance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
    const serve = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      await writeResponse(await handler(toRequest(request.raw, reply.raw)), reply.raw);
    };
    instance.all("/", serve);
    instance.all("/*", serve);
  };
}
