/**
 * The workflow wizard: a conversation that builds a draft, validated at every turn, kept in the
 * store so it survives restarts, and turned into a workflow when the person confirms.
 * @module
 */
import type { Engine } from "../engine-types.js";
import { InvalidStateError, NotFoundError, PlanInvalidError, type ValidationIssue } from "../errors.js";
import {
  type ChatMessage,
  type SessionRecord,
  type StepSpec,
  stepSpecSchema,
  type WorkflowRecord,
} from "../workflow/schema.js";
import { readWizardReply, type WizardReply } from "./plan-reply.js";
import { wizardJsonSchema } from "./plan-schema.js";
import type { Planner } from "./planner.js";
import { callPlanner } from "./planner-call.js";
import { formatIssues, wizardRepairMessage, wizardSystemPrompt } from "./prompt.js";

export interface WizardOptions {
  engine: Engine;
  planner: Planner;
  /** A session untouched for longer than this is gone (NotFoundError). @default 86_400_000 (24 h) */
  ttlMs?: number;
  /** Extra model calls per turn to repair an invalid draft. @default 2 */
  maxRepairs?: number;
}

/** What every wizard call answers (the HTTP body of `/wizard/start` and `/wizard/chat`). */
export interface WizardTurn {
  session_id: string;
  reply: string;
  /** The last valid draft, or null when there is none yet. */
  steps: StepSpec[] | null;
  /** The model deems the draft complete, and the draft is valid. */
  ready: boolean;
  /** Present after `confirm: true`. */
  workflow?: WorkflowRecord;
}

export interface WizardStartInput {
  message?: string;
  /** Variables of the workflow to build; drafts may reference them. */
  variables?: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface WizardChatInput {
  session_id: string;
  message?: string;
  /** Create the workflow from the last valid draft (after this turn's message, if any). */
  confirm?: boolean;
  /** Start the confirmed workflow at once. @default false (status `pending`, like generated workflows) */
  start?: boolean;
  signal?: AbortSignal;
}

export interface Wizard {
  /** Opens a session; with a message, the model answers it, else a greeting listing the agents. */
  start(input?: WizardStartInput): Promise<WizardTurn>;
  /**
   * One turn: a message, a confirmation, or both. Without either it returns the session as it is.
   * @throws NotFoundError for an unknown or expired session.
   * @throws InvalidStateError on `confirm` without a valid draft, or a message after confirmation.
   * @throws PlanInvalidError when no reply of the model could be read within the repair bound.
   */
  chat(input: WizardChatInput): Promise<WizardTurn>;
}

/**
 * Creates a wizard over an engine and a planner. Sessions live in `engine.store`. Turns of one
 * session are serialised within this process; two processes chatting in one session at the same
 * instant are last-writer-wins.
 * @example
 * const wizard = createWizard({ engine, planner });
 * const { session_id } = await wizard.start({ message: "Every morning, mail me AI news" });
 * const { workflow } = await wizard.chat({ session_id, confirm: true });
 */
export function createWizard(options: WizardOptions): Wizard {
  const { engine, planner } = options;
  const ttlMs = options.ttlMs ?? 86_400_000;
  const maxRepairs = options.maxRepairs ?? 2;
  if (!(ttlMs > 0)) throw new TypeError(`Expected \`ttlMs\` to be a positive number, got ${String(ttlMs)}`);
  if (!Number.isInteger(maxRepairs) || maxRepairs < 0) {
    throw new TypeError(`Expected \`maxRepairs\` to be a non-negative integer, got ${String(maxRepairs)}`);
  }
  const locks = new Map<string, Promise<unknown>>();
  const now = () => new Date(engine.clock.now()).toISOString();

  /** Runs `fn` after any earlier call on the same session has settled. */
  function serialised<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(id) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => {});
    locks.set(id, settled);
    void settled.then(() => locks.get(id) === settled && locks.delete(id));
    return next;
  }

  async function load(id: string): Promise<SessionRecord> {
    const session = await engine.store.getSession(id);
    if (!session) throw new NotFoundError(`No wizard session "${id}"`);
    if (engine.clock.now() - Date.parse(session.updated_at) > ttlMs) {
      await engine.store.deleteSession(id);
      throw new NotFoundError(`Wizard session "${id}" has expired`);
    }
    return session;
  }

  /** One model turn on `message`, repaired up to the bound; returns the updated session and reply. */
  async function turn(session: SessionRecord, message: string, signal?: AbortSignal) {
    const variables = session.draft?.variables ?? {};
    const catalog = engine.catalog();
    const jsonSchema = wizardJsonSchema(catalog);
    const history: ChatMessage[] = [...session.messages, { role: "user", content: message }];
    const system: ChatMessage = { role: "system", content: wizardSystemPrompt(catalog, variables) };
    const repairs: ChatMessage[] = [];
    let last: WizardReply | null = null;
    let issues: ValidationIssue[] = [];
    for (let attempt = 1; attempt <= maxRepairs + 1; attempt++) {
      const messages = [system, ...history, ...repairs];
      const result = await callPlanner(planner, { kind: "wizard", messages, catalog, jsonSchema, signal });
      const read = result.ok ? readWizardReply(result.response.value) : { ok: false as const, issues: [result.issue] };
      if (read.ok) {
        last = read.value;
        issues = read.value.steps === null ? [] : engine.validate({ steps: read.value.steps, variables });
        if (issues.length === 0) return accept(session, history, read.value, variables);
      } else issues = read.issues;
      if (result.ok) repairs.push({ role: "assistant", content: JSON.stringify(result.response.value) ?? "null" });
      repairs.push({ role: "user", content: wizardRepairMessage(issues) });
    }
    if (!last) throw new PlanInvalidError(issues, maxRepairs + 1);
    return keepPrevious(session, history, last, issues);
  }

  function accept(
    session: SessionRecord,
    history: ChatMessage[],
    reply: WizardReply,
    variables: Record<string, unknown>,
  ) {
    const draft =
      reply.steps === null ? session.draft : { steps: stepSpecSchema.array().parse(reply.steps), variables };
    const messages: ChatMessage[] = [...history, { role: "assistant", content: JSON.stringify(reply) }];
    const hasDraft = (draft?.steps.length ?? 0) > 0;
    const updated: SessionRecord = { ...session, messages, draft, ready: reply.ready && hasDraft, updated_at: now() };
    return { session: updated, reply: reply.reply };
  }

  function keepPrevious(session: SessionRecord, history: ChatMessage[], reply: WizardReply, issues: ValidationIssue[]) {
    const kept = (session.draft?.steps.length ?? 0) > 0 ? "the previous draft is kept" : "there is no draft yet";
    const note = `Validation: the draft in the last reply was invalid and was not kept; ${kept}.\n${formatIssues(issues)}`;
    const messages: ChatMessage[] = [
      ...history,
      { role: "assistant", content: JSON.stringify(reply) },
      { role: "user", content: note },
    ];
    const updated: SessionRecord = { ...session, messages, ready: false, updated_at: now() };
    const text = `${reply.reply}\n\n(The proposed workflow was not valid, so ${kept}. Problems:\n${formatIssues(issues)})`;
    return { session: updated, reply: text };
  }

  async function confirm(session: SessionRecord, start: boolean): Promise<WorkflowRecord> {
    if (session.workflow_id) return engine.getWorkflow(session.workflow_id);
    if (!session.draft || session.draft.steps.length === 0) {
      throw new InvalidStateError("The wizard session has no valid draft to create a workflow from yet");
    }
    const prompts = session.messages.filter((m) => m.role === "user" && !m.content.startsWith("Validation:"));
    const turns = session.messages.filter((m) => m.role === "assistant").length;
    return engine.createWorkflow(
      { steps: session.draft.steps, variables: session.draft.variables },
      { start, generation: { prompt: prompts.map((m) => m.content).join("\n"), attempts: turns, usage: null } },
    );
  }

  function view(session: SessionRecord, reply: string, workflow?: WorkflowRecord): WizardTurn {
    const steps = session.draft && session.draft.steps.length > 0 ? session.draft.steps : null;
    return { session_id: session.id, reply, steps, ready: session.ready, ...(workflow ? { workflow } : {}) };
  }

  function lastReply(session: SessionRecord): string {
    const last = [...session.messages].reverse().find((m) => m.role === "assistant");
    if (!last) return greeting();
    try {
      return String((JSON.parse(last.content) as { reply?: unknown }).reply ?? "");
    } catch {
      return last.content;
    }
  }

  function greeting(): string {
    const agents = engine.catalog().map((a) => a.name);
    const using = agents.length ? ` I can use these agents: ${agents.join(", ")}.` : "";
    return `What should the workflow do?${using}`;
  }

  return {
    async start(input = {}) {
      const at = now();
      const session: SessionRecord = {
        id: crypto.randomUUID(),
        created_at: at,
        updated_at: at,
        messages: [],
        // An empty draft carries the variables until a first valid draft exists.
        draft: input.variables ? { steps: [], variables: input.variables } : null,
        ready: false,
        workflow_id: null,
      };
      if (input.message === undefined || input.message.trim() === "") {
        await engine.store.saveSession(session);
        return view(session, greeting());
      }
      const result = await turn(session, input.message, input.signal);
      await engine.store.saveSession(result.session);
      return view(result.session, result.reply);
    },

    chat(input) {
      return serialised(input.session_id, async () => {
        let session = await load(input.session_id);
        let reply = lastReply(session);
        const message = input.message?.trim() ? input.message : undefined;
        if (message !== undefined) {
          if (session.workflow_id) throw new InvalidStateError("The wizard session was already confirmed");
          const result = await turn(session, message, input.signal);
          session = result.session;
          reply = result.reply;
          await engine.store.saveSession(session);
        }
        if (!input.confirm) return view(session, reply);
        const workflow = await confirm(session, input.start ?? false);
        if (session.workflow_id !== workflow.id) {
          session = { ...session, workflow_id: workflow.id, updated_at: now() };
          await engine.store.saveSession(session);
        }
        return view(session, message ? reply : `Created workflow ${workflow.id}.`, workflow);
      });
    },
  };
}
