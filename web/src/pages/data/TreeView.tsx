import type { TreeNode } from "../../lib/tree";
import { countFiles } from "../../lib/tree";

/** A zip's folders as disclosure widgets; picking a file selects it for the preview. */
export function TreeView({ nodes, selected, onSelect, depth = 0 }: { nodes: TreeNode[]; selected: string | null; onSelect: (path: string) => void; depth?: number }) {
  return (
    <ul class={depth === 0 ? "tree" : undefined}>
      {nodes.map((node) =>
        node.children ? (
          <li key={node.path}>
            <details open={depth === 0 && nodes.length < 4}>
              <summary>
                {node.name} <span class="muted">({countFiles(node.children)})</span>
              </summary>
              <TreeView nodes={node.children} selected={selected} onSelect={onSelect} depth={depth + 1} />
            </details>
          </li>
        ) : (
          <li key={node.path}>
            <button type="button" class={`file${selected === node.path ? " selected" : ""}`} aria-pressed={selected === node.path} onClick={() => onSelect(node.path)}>
              {node.name}
            </button>
          </li>
        ),
      )}
    </ul>
  );
}
