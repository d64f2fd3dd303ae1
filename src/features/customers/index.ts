/**
 * What other features may use of customers: the customer picker's search (DSAR matching, credit adjustments), the
 * row types of the customer views, and a customer named and linked in another desk's table (CustomerLink).
 * Anything else in this folder is the customer pages' own.
 */
export { useCustomerSearch, type CustomerOption } from "./customerSearch";
export { CustomerFilterSelect } from "./CustomerFilterSelect";
export { customerMatchFilter } from "./search";
export type { CustomerConsentRow, CustomerDirectoryRow } from "./types";
export { SectionCard } from "./CustomerSection";
export { CustomerLink, type CustomerLabel } from "./CustomerLink";
