// The control-flow kinds: repeat a workflow per item, split into branches
// and meet again, call another workflow, wait on the preview clock. A
// for_each body is a workflow of its own (opened from here), so every canvas
// stays one flat graph.
import { useContext } from "react";
import type { ItemErrorPolicy, JoinMode, JsonValue, ParallelBranch } from "../ipc";
import { Field, NextField, StepSelect } from "../inspector/controls";
import { useEditor } from "../store";
import { FindContext } from "../find/ElementActions";
import { oneExit, type FieldsProps, type StepSpec, type Transition } from "./spec";

/** A choice among the project's other workflows, with a button that opens the chosen one. */
function WorkflowPicker({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const info = useEditor((s) => s.info);
  const current = useEditor((s) => s.doc?.id);
  const { open } = useContext(FindContext);
  const ids = (info?.workflows ?? []).map((w) => w.id).filter((w) => w !== current);
  const choices = [value, ...ids].filter((v, i, a) => v && a.indexOf(v) === i);
  return (
    <Field label="Workflow">
      <span className="row">
        <select aria-label="Workflow to run" value={value} onChange={(e) => onChange(e.target.value)}>
          {!value && <option value="">— choose —</option>}
          {choices.map((w) => (
            <option key={w} value={w}>{info?.workflows.find((x) => x.id === w)?.name ?? w} ({w})</option>
          ))}
        </select>
        <button type="button" data-testid="open-called-workflow" disabled={!ids.includes(value)} title="Open this workflow" onClick={() => open(`workflows/${value}`)}>
          Open
        </button>
      </span>
    </Field>
  );
}

function ForEachFields({ id, step, put, others }: FieldsProps<"for_each">) {
  return (
    <>
      <Field label="For each item of (expression over input)">
        <input aria-label="Items" value={step.items} placeholder="input.lines" onChange={(e) => put({ ...step, items: e.target.value }, `items:${id}`)} />
      </Field>
      <WorkflowPicker value={step.workflow ?? ""} onChange={(workflow) => put({ ...step, workflow: workflow || null })} />
      <InputMapping id={id} value={step.input} onChange={(input, group) => put({ ...step, input }, group)} whole="only item and index" />
      <p className="muted small">Each run gets <code>item</code>, its <code>index</code> and the inputs above.</p>
      <Field label="Save the results as">
        <input value={step.save_as ?? ""} placeholder={id} onChange={(e) => put({ ...step, save_as: e.target.value || null }, `save:${id}`)} />
      </Field>
      <Field label="When an item fails">
        <select value={step.on_item_error ?? "stop"} onChange={(e) => put({ ...step, on_item_error: e.target.value as ItemErrorPolicy })}>
          <option value="stop">stop: the step fails</option>
          <option value="skip">skip the item</option>
          <option value="collect">collect its error and go on</option>
        </select>
      </Field>
      <Field label="At most this many items">
        <input
          type="number"
          min={1}
          max={10000}
          value={step.max_items ?? ""}
          placeholder="10000"
          onChange={(e) => put({ ...step, max_items: e.target.value ? Number(e.target.value) : null }, `max:${id}`)}
        />
      </Field>
      <NextField step={step} others={others} put={put} />
    </>
  );
}

function ParallelFields({ id, step, put, others }: FieldsProps<"parallel">) {
  const doc = useEditor((s) => s.doc);
  const joins = Object.entries(doc?.workflow.steps ?? {}).filter(([, s]) => s.kind === "join").map(([j]) => j);
  const setBranch = (i: number, b: Partial<ParallelBranch>, group?: string) => put({ ...step, branches: step.branches.map((x, j) => (j === i ? { ...x, ...b } : x)) }, group);
  return (
    <>
      {step.branches.map((b, i) => (
        <div className="branch" key={i}>
          <Field label={`Branch ${i + 1}: label`}>
            <input value={b.label ?? ""} placeholder={`branch ${i + 1}`} onChange={(e) => setBranch(i, { label: e.target.value }, `label:${id}:${i}`)} />
          </Field>
          <Field label="starts at">
            <span className="row">
              <StepSelect value={b.next ?? ""} steps={others} onChange={(v) => setBranch(i, { next: v || null })} />
              <button type="button" title="Remove this branch" aria-label={`Remove branch ${i + 1}`} onClick={() => put({ ...step, branches: step.branches.filter((_, j) => j !== i) })}>
                ✕
              </button>
            </span>
          </Field>
        </div>
      ))}
      <button type="button" onClick={() => put({ ...step, branches: [...step.branches, { label: "" }] })}>Add a branch</button>
      <Field label="The branches meet at (a join step)">
        <StepSelect value={step.join ?? ""} steps={joins} onChange={(v) => put({ ...step, join: v || null })} />
      </Field>
      {joins.length === 0 && <p className="muted small">Add a Join step from the palette, then choose it here.</p>}
    </>
  );
}

function JoinFields({ step, put, others }: FieldsProps<"join">) {
  return (
    <>
      <Field label="Go on when">
        <select value={step.wait_for ?? "all"} onChange={(e) => put({ ...step, wait_for: e.target.value as JoinMode })}>
          <option value="all">every branch has arrived</option>
          <option value="first">the first branch arrives</option>
        </select>
      </Field>
      <p className="muted small">Each branch's changed keys are merged into the state; two branches that set one key differently fail the join.</p>
      <NextField step={step} others={others} put={put} />
    </>
  );
}

/** A sub-workflow's input: rows of name → template, or the whole state when there are none. */
function InputMapping({ id, value, onChange, whole = "the whole state" }: { id: string; value: JsonValue | null | undefined; onChange: (v: JsonValue | null, group?: string) => void; whole?: string }) {
  const rows = value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
  const put = (next: [string, JsonValue][], group?: string) => onChange(next.length ? Object.fromEntries(next) : null, group);
  return (
    <div className="field">
      <span>Input {rows.length === 0 && <span className="muted small">({whole})</span>}</span>
      {rows.map(([k, v], i) => (
        <span className="row" key={i}>
          <input aria-label={`Input name ${i + 1}`} value={k} onChange={(e) => put(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)), `in-k:${id}:${i}`)} />
          <input
            aria-label={`Input value ${i + 1}`}
            value={typeof v === "string" ? v : JSON.stringify(v)}
            placeholder="{{input.x}}"
            onChange={(e) => put(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)), `in-v:${id}:${i}`)}
          />
          <button type="button" aria-label={`Remove input ${k}`} onClick={() => put(rows.filter((_, j) => j !== i))}>✕</button>
        </span>
      ))}
      <button type="button" onClick={() => put([...rows, [`value-${rows.length + 1}`, ""]])}>Add an input</button>
    </div>
  );
}

function SubWorkflowFields({ id, step, put, others }: FieldsProps<"sub_workflow">) {
  return (
    <>
      <WorkflowPicker value={step.workflow ?? ""} onChange={(workflow) => put({ ...step, workflow: workflow || null })} />
      <InputMapping id={id} value={step.input} onChange={(input, group) => put({ ...step, input }, group)} />
      <Field label="Save its output as">
        <input value={step.save_as ?? ""} placeholder={id} onChange={(e) => put({ ...step, save_as: e.target.value || null }, `save:${id}`)} />
      </Field>
      <NextField step={step} others={others} put={put} />
    </>
  );
}

function WaitFields({ id, step, put, others }: FieldsProps<"wait">) {
  const untilMode = step.until != null;
  return (
    <>
      <Field label="Wait">
        <select
          value={untilMode ? "until" : "for"}
          onChange={(e) => put(e.target.value === "until" ? { ...step, duration_ms: null, until: "{{input.due}}" } : { ...step, until: null, duration_ms: 60000 })}
        >
          <option value="for">for a while</option>
          <option value="until">until a time</option>
        </select>
      </Field>
      {untilMode ? (
        <Field label="Until (RFC 3339, or {{input.x}})">
          <input value={step.until ?? ""} onChange={(e) => put({ ...step, until: e.target.value }, `until:${id}`)} />
        </Field>
      ) : (
        <Field label="Seconds">
          <input
            type="number"
            min={0}
            value={(step.duration_ms ?? 0) / 1000}
            onChange={(e) => put({ ...step, duration_ms: Math.max(0, Math.round(Number(e.target.value) * 1000)) }, `for:${id}`)}
          />
        </Field>
      )}
      <p className="muted small">The preview records the wait on its clock; it never sleeps.</p>
      <NextField step={step} others={others} put={put} />
    </>
  );
}

export const forEach: StepSpec<"for_each"> = {
  label: "For each",
  icon: "M4 12a8 8 0 0 1 14-5l2-2v6h-6l2-2a5 5 0 1 0 1 6", // a loop arrow
  color: "#0f766e",
  idBase: "each",
  script: false,
  canFail: true,
  make: (name) => ({ kind: "for_each", name, items: "input.items" }),
  ...oneExit<"for_each">(),
  Fields: ForEachFields,
};

export const parallel: StepSpec<"parallel"> = {
  label: "Parallel",
  icon: "M4 12h4M8 12l4-6h8M8 12l4 6h8", // a fork
  color: "#9333ea",
  idBase: "split",
  script: false,
  canFail: true,
  exits: [{ exit: "branch", badge: "∥" }],
  make: (name) => ({ kind: "parallel", name, branches: [] }),
  transitions: (s) =>
    s.branches.flatMap((b, i): Transition[] => (b.next ? [{ property: `branches/${i}/next`, label: b.label || `branch ${i + 1}`, target: b.next, handle: "branch", error: false }] : [])),
  // A branch keeps its place (and label) when its target goes: it is part of the split's shape.
  retarget: (s, f) => ({
    ...s,
    branches: s.branches.map((b, i) => {
      if (!b.next) return b;
      const next = f(b.next, `branches/${i}/next`);
      const t = { ...b };
      if (next) t.next = next;
      else delete t.next;
      return t;
    }),
  }),
  connect: (s, _exit, target) => ({ ...s, branches: [...s.branches, { label: "", next: target }] }),
  Fields: ParallelFields,
};

export const join: StepSpec<"join"> = {
  label: "Join",
  icon: "M4 6h6l4 6-4 6H4M14 12h6", // branches meeting
  color: "#a855f7",
  idBase: "join",
  script: false,
  canFail: false,
  make: (name) => ({ kind: "join", name }),
  ...oneExit<"join">(),
  Fields: JoinFields,
};

export const subWorkflow: StepSpec<"sub_workflow"> = {
  label: "Sub-workflow",
  icon: "M4 5h16v14H4zM8 9h8v6H8z", // a box in a box
  color: "#0369a1",
  idBase: "call-flow",
  script: false,
  canFail: true,
  make: (name) => ({ kind: "sub_workflow", name }),
  ...oneExit<"sub_workflow">(),
  Fields: SubWorkflowFields,
};

export const wait: StepSpec<"wait"> = {
  label: "Wait",
  icon: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16M12 8v4l3 2", // a clock
  color: "#64748b",
  idBase: "wait",
  script: false,
  canFail: false,
  make: (name) => ({ kind: "wait", name, duration_ms: 60000 }),
  ...oneExit<"wait">(),
  Fields: WaitFields,
};
