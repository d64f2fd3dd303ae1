import type { CrudFilters } from "@refinedev/core";
import type { SupabaseClient } from "@supabase/supabase-js";
import { t } from "../../i18n/provider";
import type { Json } from "../../lib/database";
import { withFilters } from "../../lib/postgrestFilters";
import { keysetPages, type CsvExportSource, type PagedQuery } from "../../lib/csvExport";
import { rpcCaller, toRpcError, type CallFailure, type ErrorWording } from "../../lib/rpc";
import { consentCsvFormat } from "./csv";
import { consentSorters, type ConsentSort } from "./state";
import { EVENT_SELECT, type ConsentEventRow, type ConsentStateAsOfRow } from "./types";
import "../../i18n/messages/en/consent";

export const CONSENT_EVENTS = "consent_events";
export const CUSTOMER_CONSENTS = "customer_consents";

/** "consent_evidence: consent event 9 does not exist" → "Consent event 9 does not exist". */
function detailOf(failure: CallFailure): string {
  const text = (failure.message || "").replace(/^[a-z_]+: /, "").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : t("consent.errors.refused");
}

/** The consent functions' refusals, by SQLSTATE (docs/roles.md: 42501 role, PT404 unknown, 22023 missing input). */
export const CONSENT_WORDING: ErrorWording = {
  "42501": () => t("consent.errors.notAllowed"),
  PT404: (failure) => t("consent.errors.notFound", { detail: detailOf(failure) }),
  "22023": (failure) => t("consent.errors.checkInput", { detail: detailOf(failure) }),
  otherwise: detailOf,
};

type ConsentFunctions = {
  consent_evidence: { Args: { p_event_id: number }; Returns: Json };
  consent_state_as_of: { Args: { p_customer_id: string; p_at: string }; Returns: ConsentStateAsOfRow[] };
};

const callConsent = rpcCaller<ConsentFunctions>(CONSENT_WORDING);

/** The evidence pack of one event (receipt, policy hashes, audit-chain entry), as the database builds it. */
export function consentEvidence(client: SupabaseClient, eventId: number): Promise<Json> {
  return callConsent(client, "consent_evidence", { p_event_id: eventId });
}

/** Per purpose, the latest event at or before `at` (the database's rule: occurred_at, then id). */
export function consentStateAsOf(client: SupabaseClient, customerId: string, at: string): Promise<ConsentStateAsOfRow[]> {
  return callConsent(client, "consent_state_as_of", { p_customer_id: customerId, p_at: at });
}

/**
 * The explorer's CSV export: every event of the current filter in the list's order, read by keyset (the order ends in
 * occurred_at, id; all its keys are non-null), one page of max_rows at a time; the first page counts the total.
 */
export async function consentCsvSource(client: SupabaseClient, filters: CrudFilters, sort: ConsentSort): Promise<CsvExportSource<ConsentEventRow>> {
  const [first, ...rest] = consentSorters(sort).map((s) => ({ column: s.field, ascending: s.order === "asc" }));
  const pages = keysetPages<ConsentEventRow>(
    (isFirst) => withFilters(client.from(CONSENT_EVENTS).select(EVENT_SELECT, isFirst ? { count: "exact" } : {}), filters) as unknown as PagedQuery<ConsentEventRow>,
    [first!, ...rest],
    { failure: (error) => toRpcError(CONSENT_EVENTS, { error }, CONSENT_WORDING) },
  );
  return { pages, format: await consentCsvFormat() };
}
