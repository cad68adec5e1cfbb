// Zoomed far out, a run's lights are drawn on one canvas over the steps
// instead of as a class on each step: lighting 1,000 steps by class cost a
// style recalculation of about 9 ms before every repaint (BENCHMARKS.md,
// session 13); drawing 1,000 rectangles costs well under one.
import { useEffect, useRef } from "react";
import { useStoreApi, type ReactFlowState } from "@xyflow/react";
import { useEditor, type StepRun } from "../store";
import { FAR_ZOOM } from "./StepNode";

/** Screen pixels of a selected step's frame left unlit. */
const SELECTED_INSET = 2;

export type Light = { id: string; status: StepRun["status"]; x: number; y: number; width: number; height: number };

/**
 * Where each lit step is on screen, at `transform` ([x, y, zoom]); nothing
 * when zoomed near enough that the steps show their own lights.
 */
export function lightsOnScreen(
  runs: Record<string, StepRun>,
  nodeLookup: ReactFlowState["nodeLookup"],
  [tx, ty, zoom]: [number, number, number],
): Light[] {
  if (zoom >= FAR_ZOOM) return [];
  const out: Light[] = [];
  for (const [id, run] of Object.entries(runs)) {
    const node = nodeLookup.get(id);
    if (!node?.measured.width || !node.measured.height) continue;
    const { x, y } = node.internals.positionAbsolute;
    // A selected step keeps its frame's colour in sight around its light.
    const inset = node.selected ? SELECTED_INSET : 0;
    out.push({
      id,
      status: run.status,
      x: tx + x * zoom + inset,
      y: ty + y * zoom + inset,
      width: node.measured.width * zoom - 2 * inset,
      height: node.measured.height * zoom - 2 * inset,
    });
  }
  return out;
}

export function RunLights() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const flow = useStoreApi();
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext("2d");
    if (!el || !ctx) return;
    const css = getComputedStyle(el);
    const colours: Record<StepRun["status"], string> = {
      ok: css.getPropertyValue("--ok") || "green",
      error: css.getPropertyValue("--error") || "red",
      running: css.getPropertyValue("--running") || "orange",
    };
    // Near, the canvas stays empty and hidden: a run there costs it nothing.
    let shown = false;
    el.style.visibility = "hidden";
    el.dataset.lit = "0";
    const draw = () => {
      const { width, height, transform, nodeLookup } = flow.getState();
      const lights = lightsOnScreen(useEditor.getState().runs, nodeLookup, transform);
      if (!lights.length && !shown) return;
      shown = lights.length > 0;
      el.style.visibility = shown ? "visible" : "hidden";
      const ratio = window.devicePixelRatio || 1;
      if (el.width !== Math.round(width * ratio) || el.height !== Math.round(height * ratio)) {
        el.width = Math.round(width * ratio);
        el.height = Math.round(height * ratio);
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      // One path and one fill per colour: a fill per step, and setting the
      // colour for each, took 4-5 ms for 1,000 steps (1-2 ms now).
      const paths = new Map<StepRun["status"], Path2D>();
      for (const l of lights) {
        let path = paths.get(l.status);
        if (!path) paths.set(l.status, (path = new Path2D()));
        path.rect(l.x, l.y, l.width, l.height);
      }
      for (const [status, path] of paths) {
        ctx.fillStyle = colours[status];
        ctx.fill(path);
      }
      // For tests and benchmarks: how many steps are lit here. No style rule
      // reads it, so setting it costs no style recalculation.
      el.dataset.lit = String(lights.length);
    };
    draw();
    const offRuns = useEditor.subscribe((s, before) => s.runs !== before.runs && draw());
    const offFlow = flow.subscribe(
      (s, before) =>
        (s.transform !== before.transform || s.nodes !== before.nodes || s.width !== before.width || s.height !== before.height) && draw(),
    );
    return () => {
      offRuns();
      offFlow();
    };
  }, [flow]);
  return <canvas ref={canvas} className="run-lights" aria-hidden="true" data-testid="run-lights" />;
}
