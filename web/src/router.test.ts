import { describe, expect, it } from "vitest";
import { isConsolePath, match } from "./router";

describe("routes", () => {
  it("match with parameters and optional trailing slashes", () => {
    expect(match("/app/data/:id/", "/app/data/12/")).toEqual({ id: "12" });
    expect(match("/app/data/:id/", "/app/data/12")).toEqual({ id: "12" });
    expect(match("/password-reset/confirm/:uid/:token/", "/password-reset/confirm/MQ/abc-123/")).toEqual({ uid: "MQ", token: "abc-123" });
    expect(match("/app/data/:id/", "/app/data/")).toBeNull();
  });

  it("never take over API paths", () => {
    expect(isConsolePath("/app/models/")).toBe(true);
    expect(isConsolePath("/data/3/")).toBe(false);
    expect(isConsolePath("/api/docs/")).toBe(false);
  });
});
