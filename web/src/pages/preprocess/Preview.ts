// The before/after preview of the pipeline on one picture, run by the server: the
// picture is uploaded on its own (when it sits in a zip), the pipeline runs on it,
// the outputs are fetched, and both temporary uploads are deleted again.

import { data, preprocess, type OperationStep, type Tree } from "../../api";
import { isPictureName, treeNodes, type TreeNode } from "../../lib/tree";

export interface PreviewImage {
  name: string;
  blob: Blob;
}

export interface PreviewResult {
  before: Blob;
  after: PreviewImage[];
}

function pictures(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((n) => (n.children ? pictures(n.children) : isPictureName(n.name) ? [n] : []));
}

async function fileOf(id: number, path?: string): Promise<Blob> {
  const answer = await data.content(id, path ? { relative_path: path } : {});
  if (answer.kind !== "file") throw new Error("This is not a picture.");
  return answer.blob;
}

export async function previewOnPicture(sourceId: number, picturePath: string | null, operations: OperationStep[]): Promise<PreviewResult> {
  const before = await fileOf(sourceId, picturePath ?? undefined);
  const temporary: number[] = [];
  try {
    let target = sourceId;
    if (picturePath) {
      const name = picturePath.split("/").pop() ?? "picture.png";
      const file = new File([before], name, { type: before.type });
      target = (await data.upload({ type: "single", fileClass: "picture", file }, () => undefined)).data_id;
      temporary.push(target);
    }
    const result = await preprocess.run(target, operations);
    temporary.push(result.data_id);
    const content = await data.content(result.data_id);
    const after: PreviewImage[] =
      content.kind === "file"
        ? [{ name: "result", blob: content.blob }]
        : await Promise.all(
            pictures(treeNodes(content.json as Tree)).map(async (n) => ({ name: n.name, blob: await fileOf(result.data_id, n.path) })),
          );
    return { before, after };
  } finally {
    await Promise.all(temporary.map((id) => data.remove(id).catch(() => undefined)));
  }
}

export function picturePaths(tree: Tree): string[] {
  return pictures(treeNodes(tree)).map((n) => n.path);
}
