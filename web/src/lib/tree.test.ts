import { describe, expect, it } from "vitest";
import { countFiles, firstPicture, treeNodes } from "./tree";

describe("a zip's tree", () => {
  const nodes = treeNodes({ "readme.txt": "readme.txt", digits: { "10": { "1.png": "1.png" }, "2": { "7.png": "7.png", "10.png": "10.png" } } });

  it("lists folders first, numbers in order, with paths for relative_path", () => {
    expect(nodes.map((n) => n.name)).toEqual(["digits", "readme.txt"]);
    expect(nodes[0]!.children!.map((n) => n.name)).toEqual(["2", "10"]);
    expect(nodes[0]!.children![0]!.children!.map((n) => n.path)).toEqual(["digits/2/7.png", "digits/2/10.png"]);
  });

  it("counts files and finds a picture to preview", () => {
    expect(countFiles(nodes)).toBe(4);
    expect(firstPicture(nodes)).toBe("digits/2/7.png");
  });
});
