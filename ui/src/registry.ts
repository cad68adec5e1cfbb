// The pattern every designer's palette follows: one entry per kind, declared
// once, holding everything the UI knows of that kind (its look, its default,
// its inspector fields). Step kinds use it today; form components and model
// field types are meant to follow the same shape.

/** How a kind looks wherever it is shown: palette, canvas, minimap, inspector. */
export type KindLook = {
  label: string;
  /** One SVG path on a 24×24 grid, drawn as a 2px line. */
  icon: string;
  color: string;
};

/** Every kind of a union `K`, each with its spec; a kind left out does not compile. */
export type Registry<K extends string, S extends KindLook> = { readonly [k in K]: S };

/** The registry's entries in the order given, for palettes and menus. */
export function entries<K extends string, S extends KindLook>(registry: Registry<K, S>, order: readonly K[]): { kind: K; spec: S }[] {
  return order.map((kind) => ({ kind, spec: registry[kind] }));
}
