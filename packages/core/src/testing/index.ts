export type { FakeClockOptions } from "./fake-clock.js";
export { FakeClock } from "./fake-clock.js";
