/** react-query keys of the retention desk's reads; everything under `all` is read again after a hold or a run. */
export const retentionKeys = {
  all: ["retention"] as const,
  status: () => [...retentionKeys.all, "status"] as const,
  rules: () => [...retentionKeys.all, "rules"] as const,
  runs: () => [...retentionKeys.all, "runs"] as const,
  runCategories: (runId: string) => [...retentionKeys.all, "run-categories", runId] as const,
  holds: () => [...retentionKeys.all, "holds"] as const,
};
