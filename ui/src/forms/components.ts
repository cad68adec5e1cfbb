// The form component kinds: one entry each, declared once (the registry
// pattern of step kinds): the palette, the grid, the inspector and the
// preview read it. `fits` mirrors the Rust model's `ComponentKind::fits`; a
// test checks the two against a fixture the Rust side writes.
import type { Component, ComponentKind, Field } from "../ipc";
import { entries, type KindLook, type Registry } from "../registry";

export type ComponentSpec = KindLook & {
  /** It edits a value, so it binds to a field. */
  input: boolean;
  /** Whether it can edit `field`. */
  fits: (field: Field) => boolean;
  /** Columns it spans when added. */
  width: number;
};

const t = (f: Field, ...types: Field["type"][]) => !f.list && types.includes(f.type);
const never = () => false;
const INPUT = "#0b7cc1";
const CHOICE = "#be123c";
const LAYOUT = "#64748b";

export const COMPONENT_KINDS: Registry<ComponentKind, ComponentSpec> = {
  text_input: { label: "Text", icon: "M4 7h16v10H4zM8 12h.01", color: INPUT, input: true, width: 6, fits: (f) => t(f, "string", "text", "email") },
  text_area: { label: "Multi-line text", icon: "M4 5h16v14H4zM8 9h8M8 13h6", color: INPUT, input: true, width: 12, fits: (f) => t(f, "string", "text") },
  number_input: { label: "Number", icon: "M9 5l-2 14M17 5l-2 14M5 9h14M4 15h14", color: "#7c3aed", input: true, width: 4, fits: (f) => t(f, "integer", "decimal") },
  date_picker: { label: "Date", icon: "M5 6h14v13H5zM5 10h14M9 4v4M15 4v4", color: "#d97706", input: true, width: 4, fits: (f) => t(f, "date") },
  datetime_picker: { label: "Date and time", icon: "M12 7v5l3 2M12 3a9 9 0 100 18 9 9 0 000-18z", color: "#d97706", input: true, width: 6, fits: (f) => t(f, "datetime") },
  select: { label: "Select", icon: "M4 7h16v10H4zM14 11l2 2 2-2", color: CHOICE, input: true, width: 6, fits: (f) => f.type === "enum" || f.type === "reference" },
  radio: { label: "Radio group", icon: "M12 8a4 4 0 100 8 4 4 0 000-8zM12 3a9 9 0 100 18 9 9 0 000-18z", color: CHOICE, input: true, width: 6, fits: (f) => t(f, "enum", "boolean") },
  checkbox: { label: "Checkbox", icon: "M5 5h14v14H5zM8 12l3 3 5-6", color: "#15803d", input: true, width: 6, fits: (f) => (f.type === "boolean" && !f.list) || (f.type === "enum" && !!f.list) },
  email_input: { label: "Email", icon: "M4 6h16v12H4zM4 7l8 6 8-6", color: INPUT, input: true, width: 6, fits: (f) => t(f, "email") },
  file_upload: { label: "File reference", icon: "M14 3H6v18h12V7zM14 3v4h4", color: INPUT, input: true, width: 6, fits: (f) => t(f, "string") },
  table: { label: "Table / repeater", icon: "M4 5h16v14H4zM4 10h16M4 15h16M10 5v14", color: INPUT, input: true, width: 12, fits: (f) => !!f.list },
  section: { label: "Section", icon: "M4 6h16M4 12h10M4 18h10", color: LAYOUT, input: false, width: 12, fits: never },
  heading: { label: "Heading", icon: "M6 4v16M18 4v16M6 12h12", color: LAYOUT, input: false, width: 12, fits: never },
  text: { label: "Help text", icon: "M12 3a9 9 0 100 18 9 9 0 000-18zM12 11v5M12 8h.01", color: LAYOUT, input: false, width: 12, fits: never },
  divider: { label: "Divider", icon: "M4 12h16", color: LAYOUT, input: false, width: 12, fits: never },
};

export const COMPONENT_PALETTE = entries(COMPONENT_KINDS, [
  "text_input",
  "text_area",
  "number_input",
  "date_picker",
  "datetime_picker",
  "select",
  "radio",
  "checkbox",
  "email_input",
  "file_upload",
  "table",
  "section",
  "heading",
  "text",
  "divider",
]);

/** A new component of `kind`, bound to `field` when one is given. */
export function makeComponent(kind: ComponentKind, field?: { id: string; label: string }): Component {
  const spec = COMPONENT_KINDS[kind];
  if (!spec.input) return { kind, label: kind === "divider" ? "" : spec.label };
  return field ? { kind, label: field.label, field: field.id } : { kind, label: spec.label };
}
