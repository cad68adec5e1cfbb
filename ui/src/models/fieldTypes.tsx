// The field types of a data model: one entry each, declared once (the same
// registry pattern as step kinds), for the field grid, the entity nodes and
// the form designer's binding picker.
import type { FieldType, JsonValue } from "../ipc";
import { entries, type KindLook, type Registry } from "../registry";

export type FieldTypeSpec = KindLook & {
  /** Which constraints the grid offers for it. */
  numeric?: boolean;
  textual?: boolean;
};

export const FIELD_TYPES: Registry<FieldType, FieldTypeSpec> = {
  string: { label: "Text", icon: "M5 7h14M12 7v11", color: "#0b7cc1", textual: true },
  text: { label: "Long text", icon: "M5 7h14M5 12h14M5 17h9", color: "#0b7cc1", textual: true },
  integer: { label: "Whole number", icon: "M9 5l-2 14M17 5l-2 14M5 9h14M4 15h14", color: "#7c3aed", numeric: true },
  decimal: { label: "Decimal", icon: "M6 17h.01M10 7a3 3 0 013 3v4a3 3 0 01-6 0v-4a3 3 0 013-3zM18 7a3 3 0 013 3v4a3 3 0 01-6 0v-4a3 3 0 013-3z", color: "#7c3aed", numeric: true },
  boolean: { label: "Yes / no", icon: "M5 12l4 4 10-10", color: "#15803d" },
  date: { label: "Date", icon: "M5 6h14v13H5zM5 10h14M9 4v4M15 4v4", color: "#d97706" },
  datetime: { label: "Date and time", icon: "M12 7v5l3 2M12 3a9 9 0 100 18 9 9 0 000-18z", color: "#d97706" },
  email: { label: "Email", icon: "M4 6h16v12H4zM4 7l8 6 8-6", color: "#0b7cc1", textual: true },
  enum: { label: "Choice", icon: "M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01", color: "#be123c" },
  reference: { label: "Reference", icon: "M10 14a4 4 0 005.6 0l3-3a4 4 0 00-5.6-5.6l-1 1M14 10a4 4 0 00-5.6 0l-3 3a4 4 0 005.6 5.6l1-1", color: "#475569" },
};

/** A number as typed: a number once it reads as one, the text until then (so Rust can say what is wrong). */
export const typedNumber = (t: string): JsonValue => (t.trim() !== "" && !Number.isNaN(Number(t)) ? Number(t) : t);

export const FIELD_TYPE_LIST = entries(FIELD_TYPES, ["string", "text", "integer", "decimal", "boolean", "date", "datetime", "email", "enum", "reference"]);

export function FieldTypeIcon({ type, size = 14 }: { type: FieldType; size?: number }) {
  const spec = FIELD_TYPES[type];
  return (
    <svg className="kind-icon" style={{ color: spec.color }} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <path d={spec.icon} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
