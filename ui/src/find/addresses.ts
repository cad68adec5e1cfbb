// Element addresses (`workflows/expense-approval/steps/convert`,
// `models/expense/entities/claim/fields/amount`) as the designers open them.
import type { Jump } from "../panels/Problems";

/** Where the element at `address` opens: its designer, and what to select there. */
export function jumpOfAddress(address: string): Jump | null {
  const p = address.split("/");
  switch (p[0]) {
    case "workflows":
      return p[1] ? { kind: "workflow", id: p[1], select: p[2] === "steps" && p[3] ? p[3] : null } : null;
    case "models":
      if (!p[1]) return null;
      if (p[2] === "entities" && p[3]) return { kind: "model", id: p[1], select: `entity:${p[3]}`, field: p[4] === "fields" ? p[5] : undefined };
      if (p[2] === "enums" && p[3]) return { kind: "model", id: p[1], select: `enum:${p[3]}` };
      return { kind: "model", id: p[1], select: null };
    case "forms":
      return p[1] ? { kind: "form", id: p[1], select: p[2] === "components" && p[3] ? p[3] : null } : null;
    case "sources":
      return p[1] ? { kind: "source", id: p[1], select: null } : null;
    default:
      return null;
  }
}

/** The address of what a designer has selected, for "find references" and "rename". */
export function addressOf(kind: "workflow" | "model" | "form", id: string, selected: string | null, field?: string): string {
  if (kind === "workflow") return selected ? `workflows/${id}/steps/${selected}` : `workflows/${id}`;
  if (kind === "form") return selected ? `forms/${id}/components/${selected}` : `forms/${id}`;
  if (!selected) return `models/${id}`;
  const [what, name] = selected.split(":");
  if (what === "enum") return `models/${id}/enums/${name}`;
  return field ? `models/${id}/entities/${name}/fields/${field}` : `models/${id}/entities/${name}`;
}

/** A hit's text cut at its marks (`\u0002`…`\u0003`): plain and matched parts in turn. */
export function marked(text: string): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = [];
  for (const [i, part] of text.split("\u0002").entries()) {
    const [matched, rest] = i === 0 ? ["", part] : [part.split("\u0003")[0]!, part.split("\u0003").slice(1).join("")];
    if (matched) out.push({ text: matched, match: true });
    if (rest) out.push({ text: rest, match: false });
  }
  return out;
}
