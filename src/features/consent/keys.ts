/** react-query keys of the consent pages' own queries (Refine keys its list hooks by resource itself). */
export const consentKeys = {
  all: ["consent"] as const,
  asOf: (customerId: string, at: string) => [...consentKeys.all, "as-of", customerId, at] as const,
};
