/**
 * What other features may use of credits: the customer page's credit panel, the money functions' wording and
 * the labels the money dashboard shows. Anything else in this folder is the credits pages' own.
 */
export { AdjustCreditsButton, CustomerPendingAdjustments } from "./CustomerCredits";
export { MONEY_WORDING } from "./api";
export { creditsKeys } from "./keys";
export { reasonLabel, STATUS_LABELS, type AdjustmentStatus } from "./types";
