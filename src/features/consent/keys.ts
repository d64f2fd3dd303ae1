/** react-query keys of the consent pages' own queries (Refine keys its list hooks by resource itself). */
export const consentKeys = {
  all: ["consent"] as const,
  asOf: (customerId: string, at: string) => [...consentKeys.all, "as-of", customerId, at] as const,
  optIn: (from: string, to: string, bucket: string) => [...consentKeys.all, "opt-in", from, to, bucket] as const,
  versionShare: () => [...consentKeys.all, "version-share"] as const,
};
