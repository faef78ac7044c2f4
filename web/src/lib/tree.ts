// A zip upload's tree (`{name: name | {...}}`) as sorted folders and files.

import type { Tree } from "../api/types";

export interface TreeNode {
  name: string;
  /** Path inside the upload, `/`-separated: what `?relative_path=` takes. */
  path: string;
  children: TreeNode[] | null;
}

export function treeNodes(tree: Tree, prefix = ""): TreeNode[] {
  const nodes = Object.entries(tree).map(([name, value]): TreeNode => {
    const path = prefix ? `${prefix}/${name}` : name;
    return typeof value === "string" ? { name, path, children: null } : { name, path, children: treeNodes(value, path) };
  });
  // Folders first, then by name with numbers in order (2 before 10).
  return nodes.sort(
    (a, b) =>
      Number(b.children !== null) - Number(a.children !== null) ||
      a.name.localeCompare(b.name, undefined, { numeric: true }),
  );
}

export function countFiles(nodes: TreeNode[]): number {
  return nodes.reduce((sum, n) => sum + (n.children ? countFiles(n.children) : 1), 0);
}

/** The first picture in the tree, depth first, for a preview. */
export function firstPicture(nodes: TreeNode[]): string | null {
  for (const node of nodes) {
    if (node.children) {
      const inner = firstPicture(node.children);
      if (inner) return inner;
    } else if (isPictureName(node.name)) return node.path;
  }
  return null;
}

export function isPictureName(name: string): boolean {
  return /\.(png|jpe?g|gif|bmp|webp)$/i.test(name);
}

export function isAudioName(name: string): boolean {
  return /\.(wav|mp3|ogg|flac|m4a)$/i.test(name);
}
