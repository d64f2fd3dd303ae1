import { creditsKeys } from "../credits";

/** react-query keys of the money dashboard. */
export const moneyKeys = {
  // Under the credits keys on purpose: every credit adjustment or decision refreshes the figures (useCreditsRefresh).
  stats: (weeks: number) => [...creditsKeys.all, "money-stats", weeks] as const,
};
