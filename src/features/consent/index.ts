/**
 * What other features may use of the consent log: the link from the customer page to a customer's consent page, and
 * the catalogue labels of the log's codes (purposes, actions, sources, policy versions) for every page that shows
 * consent. Anything else in this folder is the consent pages' own (loaded lazily with their routes).
 */
export { consentKeys } from "./keys";
export { CustomerConsentLink } from "./CustomerConsentLink";
export { ACTION_COLOURS, ACTION_LABELS, labelOf, PURPOSE_LABELS, SOURCE_LABELS, versionLabel } from "./types";
