// Pure edits of a source as its designer holds it. The designer calls these;
// the store records each for undo.
import type { Auth, HttpMethod, Operation, Source, SourceDoc } from "../ipc";
import { freshKey } from "../models/modelDoc";

export type AuthKind = Auth["kind"];

/** The methods a source's operation or an api_call step may use. */
export const HTTP_METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export const AUTH_KINDS: { kind: AuthKind; label: string }[] = [
  { kind: "none", label: "None" },
  { kind: "api_key", label: "API key in a header" },
  { kind: "bearer", label: "Bearer token" },
  { kind: "basic", label: "User name and password" },
];

/** A secret's name as the project writes it: `FX_API_KEY`. */
export function secretName(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9_]+/g, "_");
}

/** A source's own secret name, made from its id: `fx-rates` → `FX_RATES_API_KEY`. */
export function defaultSecret(id: string, kind: AuthKind): string {
  const base = secretName(id);
  return kind === "basic" ? `${base}_PASSWORD` : kind === "bearer" ? `${base}_TOKEN` : `${base}_API_KEY`;
}

/** The auth of `kind`, keeping the secret name already chosen. */
export function withAuthKind(doc: SourceDoc, kind: AuthKind): SourceDoc {
  const before = doc.source.auth ?? { kind: "none" };
  const secret = "secret" in before && before.secret ? before.secret : defaultSecret(doc.id, kind);
  const auth: Auth =
    kind === "none"
      ? { kind }
      : kind === "api_key"
        ? { kind, secret, header: before.kind === "api_key" ? before.header : "X-Api-Key" }
        : kind === "bearer"
          ? { kind, secret }
          : { kind, secret, username: before.kind === "basic" ? before.username : "" };
  return withSource(doc, { ...doc.source, auth });
}

export function withSource(doc: SourceDoc, source: Source): SourceDoc {
  return { ...doc, source };
}

/** The headers as rows, so that a row being typed keeps its place. */
export function headerRows(s: Source): [string, string][] {
  return Object.entries(s.headers ?? {}).map(([k, v]) => [k, v ?? ""]);
}

/** Sets the headers from rows; a row without a name is dropped, and a repeated name keeps its last value. */
export function withHeaders(doc: SourceDoc, rows: [string, string][]): SourceDoc {
  const headers: Record<string, string> = {};
  for (const [k, v] of rows) if (k.trim()) headers[k.trim()] = v;
  const rest = { ...doc.source };
  delete rest.headers;
  return withSource(doc, Object.keys(headers).length ? { ...rest, headers } : rest);
}

export function withoutOperation(doc: SourceDoc, id: string): SourceDoc {
  const operations = Object.fromEntries(Object.entries(doc.source.operations ?? {}).filter(([k]) => k !== id));
  return withSource(doc, { ...doc.source, operations });
}

/** Adds an operation by hand: `GET /rates/{currency}`, its path parameters
 *  required, under an id made from the method and path (`get-rates-currency`). */
export function withOperation(doc: SourceDoc, method: HttpMethod, path: string, summary: string): [SourceDoc, string] {
  const clean = "/" + path.trim().replace(/^\/+/, "");
  const id = freshKey(doc.source.operations ?? {}, `${method} ${clean.replace(/[{}]/g, "")}`);
  const parameters = [...clean.matchAll(/\{([^}/]+)\}/g)].map((m) => ({ name: m[1]!, in: "path" as const, required: true }));
  const op: Operation = { method, path: clean, ...(summary.trim() ? { summary: summary.trim() } : {}), ...(parameters.length ? { parameters } : {}), ...(method === "POST" || method === "PUT" || method === "PATCH" ? { body: "optional" as const } : {}) };
  return [withSource(doc, { ...doc.source, operations: { ...(doc.source.operations ?? {}), [id]: op } }), id];
}
