/**
 * `email.SEND_EMAIL`: an action with a side effect that must not repeat blindly. It declares
 * `idempotent: false` (after a crash mid-send a person decides instead of a silent re-send) and
 * `needsHuman: true` (every send is approved; a workflow cannot turn that off). The step's
 * `ctx.idempotencyKey` becomes the Message-ID, so a receiving system can drop a duplicate.
 * Sends over SMTP when `smtpUrl` is set, else writes an `.eml` file into `outboxDir`.
 * @module
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AgentPlugin, defineAction, defineAgent } from "@tandem/core";
import nodemailer from "nodemailer";
import { z } from "zod";
import { renderBody } from "./render-body.js";

export interface EmailOptions {
  /** e.g. `smtp://user:pass@mail.example.com:587`. */
  smtpUrl?: string;
  /** Where `.eml` files go when there is no SMTP server. */
  outboxDir: string;
  /** @default "Tandem <tandem@localhost>" */
  from?: string;
}

const address = z.email();

/** `<workflow>.<step>@tandem.local`: ids only hold `[A-Za-z0-9_-]`, so the key is a valid msg-id. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${idempotencyKey.replace(/[^A-Za-z0-9_-]/g, ".")}@tandem.local>`;
}

/** The `email` agent. */
export function createEmailAgent(options: EmailOptions): AgentPlugin {
  const smtp = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const sendEmail = defineAction({
    description: "Send an email. `body` may be any JSON value (a list of search results reads as titles and links).",
    args: z.object({
      to: z.union([address, z.array(address).min(1).max(50)]),
      subject: z.string().max(500).optional(),
      body: z.unknown(),
    }),
    outputs: ["message_id"],
    idempotent: false,
    needsHuman: true,
    async run(args, ctx) {
      ctx.signal.throwIfAborted();
      const message = {
        from: options.from ?? "Tandem <tandem@localhost>",
        to: args.to,
        subject: args.subject ?? `Tandem workflow ${ctx.workflowId}`,
        text: renderBody(args.body),
        messageId: messageIdFor(ctx.idempotencyKey),
      };
      if (smtp) {
        const info = await smtp.sendMail(message);
        return { message_id: message.messageId, accepted: info.accepted.map(String) };
      }
      const info = await files.sendMail(message);
      await mkdir(options.outboxDir, { recursive: true });
      const file = join(options.outboxDir, `${ctx.idempotencyKey.replace(/[^A-Za-z0-9_-]/g, ".")}.eml`);
      await writeFile(file, info.message as Buffer);
      ctx.logger.info("email written to the outbox", { file });
      return { message_id: message.messageId, file };
    },
  });
  return defineAgent({
    name: "email",
    description: "Sends email (SMTP, or .eml files)",
    actions: { SEND_EMAIL: sendEmail },
  });
}
