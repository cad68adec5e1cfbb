// Nodes are rebuilt from the document on every edit; this keeps what React
// Flow measured of them, or the minimap and edge routing lose their sizes.
import { useCallback, useState } from "react";
import type { NodeChange } from "@xyflow/react";

export type Sizes = Record<string, { width: number; height: number }>;

/** The sizes measured so far, and the handler that records new ones from a batch of node changes. */
export function useMeasured(): [Sizes, (changes: NodeChange[]) => void] {
  const [measured, setMeasured] = useState<Sizes>({});
  const record = useCallback((changes: NodeChange[]) => {
    const sized = changes.filter((c) => c.type === "dimensions" && c.dimensions);
    if (!sized.length) return;
    setMeasured((m) => {
      const next = { ...m };
      for (const c of sized) if (c.type === "dimensions" && c.dimensions) next[c.id] = c.dimensions;
      return next;
    });
  }, []);
  return [measured, record];
}
