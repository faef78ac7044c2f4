import { describe, expect, it } from "vitest";
import { ApiError, flattenErrors } from "./errors";

describe("the API's error bodies", () => {
  it("keeps DRF's field lists as they are", () => {
    expect(flattenErrors({ username: ["A user with that username already exists."], non_field_errors: ["x"] })).toEqual({
      username: ["A user with that username already exists."],
      non_field_errors: ["x"],
    });
  });

  it("names nested errors by their path", () => {
    expect(flattenErrors({ operations: [{}, { value1: ["must be odd"] }] })).toEqual({ "operations[1].value1": ["must be odd"] });
  });

  it("treats a bare detail as the message", () => {
    const error = new ApiError(404, { detail: "Not found." });
    expect(error.message).toBe("Not found.");
    expect(error.others(["username"])).toEqual(["Not found."]);
  });

  it("leaves the messages of known fields to their fields", () => {
    const error = new ApiError(400, { email: ["Enter a valid email address."], uid: ["Invalid value"] });
    expect(error.field("email")).toEqual(["Enter a valid email address."]);
    expect(error.others(["email"])).toEqual(["uid: Invalid value"]);
  });
});
