export type { FakeClockOptions } from "./fake-clock.js";
export { FakeClock } from "./fake-clock.js";
export type { ScriptedPlannerOptions, ScriptedReply, ScriptFunction } from "./scripted-planner.js";
export { ScriptedPlanner } from "./scripted-planner.js";
export { isoAt, makeEvent, makeFiring, makeSchedule, makeSession, makeStep, makeWorkflow } from "./store-fixtures.js";
export type { TestAgent, TestAgentCall } from "./test-agent.js";
export { defineTestAgent } from "./test-agent.js";
