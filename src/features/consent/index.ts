/**
 * What other features may use of the consent log: the link from the customer page to a customer's consent page.
 * Anything else in this folder is the consent pages' own (loaded lazily with their routes).
 */
export { consentKeys } from "./keys";
export { CustomerConsentLink } from "./CustomerConsentLink";
