import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { FormErrors, TextField } from "./forms";

describe("a field with the API's messages", () => {
  let root: HTMLElement;
  afterEach(() => render(null, root));

  it("shows each message under its field and marks the input invalid", () => {
    root = document.createElement("div");
    document.body.append(root);
    const error = new ApiError(400, { password1: ["This password is too common.", "This password is entirely numeric."], non_field_errors: ["The two password fields didn't match."] });
    render(
      <form>
        <FormErrors messages={error.others(["password1"])} />
        <TextField label="Password" value="12345678" onValue={() => undefined} errors={error.field("password1")} />
      </form>,
      root,
    );
    const input = root.querySelector("input")!;
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = input.getAttribute("aria-describedby")!;
    expect(document.getElementById(described)?.textContent).toBe("This password is too common.This password is entirely numeric.");
    expect(root.querySelector(".alert-error")?.textContent).toBe("The two password fields didn't match.");
    expect((root.querySelector("label") as HTMLLabelElement).htmlFor).toBe(input.id);
  });
});
