import { beforeEach, describe, expect, it } from "vitest";
import { signIn, signOutLocally, token } from "./session";

describe("the login key", () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it("lives in localStorage when remembered, else in this tab only", () => {
    signIn("abc", true);
    expect(localStorage.getItem("netsmith.token")).toBe("abc");
    signIn("def", false);
    expect(localStorage.getItem("netsmith.token")).toBeNull();
    expect(sessionStorage.getItem("netsmith.token")).toBe("def");
    expect(token()).toBe("def");
  });

  it("is forgotten on logout", () => {
    signIn("abc", true);
    signOutLocally();
    expect(token()).toBeNull();
  });
});
