/** react-query keys of the policies screens' own queries (Refine keys its reads of policy_versions itself). */
export const policiesKeys = {
  all: ["policies"] as const,
  inForce: (document: string, at: string) => [...policiesKeys.all, "in-force", document, at] as const,
  reacceptance: (id: string) => [...policiesKeys.all, "reacceptance", id] as const,
  coverage: (id: string) => [...policiesKeys.all, "coverage", id] as const,
};
