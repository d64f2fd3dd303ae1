/**
 * Labels of a closed set of values (statuses, types, fields…) as a table keyed by value, each read from the
 * catalogue when it is read (a getter per value): `TYPE_LABELS[type]` follows a change of locale, and no word is
 * copied out of the catalogue when the module loads.
 */
export function catalogueLabels<V extends string>(values: readonly V[], label: (value: V) => string): Readonly<Record<V, string>> {
  const labels = {} as Record<V, string>;
  for (const value of values) Object.defineProperty(labels, value, { get: () => label(value), enumerable: true });
  return labels;
}
