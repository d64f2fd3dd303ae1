/** react-query keys of the reconciliation page's queries. */
export const reconciliationKeys = {
  all: ["reconciliation"] as const,
  /** Refreshed when a run is saved (the list may have been read already: it is the first tab until the role is known). */
  runs: () => [...reconciliationKeys.all, "runs"] as const,
  run: (id: string) => [...reconciliationKeys.all, "run", id] as const,
};
