import { describe, expect, it } from "vitest";
import { isLoopbackHost, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("defaults to 127.0.0.1:8000 and ./.tandem", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: "127.0.0.1", port: 8000, token: undefined, openai: undefined, variables: {} });
    expect(config.dataDir.endsWith(".tandem")).toBe(true);
  });

  it("maps TANDEM_VAR_<NAME> to the variable <name>", () => {
    expect(loadConfig({ TANDEM_VAR_USER_EMAIL: "a@example.com", TANDEM_VAR_: "x" }).variables).toEqual({
      user_email: "a@example.com",
    });
  });

  it("needs a token of 16+ characters to bind beyond loopback", () => {
    expect(() => loadConfig({ HOST: "0.0.0.0" })).toThrow(/TANDEM_TOKEN/);
    expect(() => loadConfig({ HOST: "0.0.0.0", TANDEM_TOKEN: "short" })).toThrow(/16 characters/);
    expect(loadConfig({ HOST: "0.0.0.0", TANDEM_TOKEN: "a-long-enough-secret" }).token).toBe("a-long-enough-secret");
    expect(isLoopbackHost("127.0.0.2")).toBe(true);
    expect(isLoopbackHost("::1")).toBe(true);
    expect(isLoopbackHost("192.168.1.2")).toBe(false);
  });

  it("refuses a bad PORT and reads the planner settings only when a model or server is named", () => {
    expect(() => loadConfig({ PORT: "http" })).toThrow(/PORT/);
    expect(loadConfig({ OPENAI_API_KEY: "k" }).openai).toBeUndefined();
    expect(loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "m" }).openai).toEqual({
      apiKey: undefined,
      baseURL: "http://127.0.0.1:11434/v1",
      model: "m",
    });
  });
});
