/**
 * A record of labels, one per code, each read from the catalogue when it is used: code that indexes a record
 * (`LABELS[status]`) keeps doing so, and the words follow a change of locale and need their namespace only when
 * read, not when the module loads.
 */
export function catalogueLabels<K extends string>(codes: readonly K[], label: (code: K) => string): Readonly<Record<K, string>> {
  const labels = {} as Record<K, string>;
  for (const code of codes) Object.defineProperty(labels, code, { get: () => label(code), enumerable: true });
  return labels;
}
