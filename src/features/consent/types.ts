/** The consent log's closed sets (as the database's checks name them), their catalogue labels, and the rows read. */
import { catalogueLabels } from "../../i18n/labels";
import { t } from "../../i18n/provider";
import type { RpcRow, Tables } from "../../lib/database";
import "../../i18n/messages/en/consent";

export const PURPOSES = ["terms", "privacy_policy", "cookie_policy", "analytics", "marketing_email"] as const;
export const ACTIONS = ["granted", "refused", "withdrawn", "re_accepted", "expired", "invalidated"] as const;
export const SOURCES = ["signup", "settings", "banner", "reprompt", "dsar", "console"] as const;
export const METHODS = ["checkbox", "toggle", "banner", "prompt", "written_request", "staff_entry", "system"] as const;
export const DOCUMENTS = ["privacy_policy", "terms", "cookie_policy"] as const;
export const LANGUAGES = ["en", "th"] as const;

export type Purpose = (typeof PURPOSES)[number];
export type Action = (typeof ACTIONS)[number];
export type Source = (typeof SOURCES)[number];

const isOneOf =
  <V extends string>(values: readonly V[]) =>
  (value: string): value is V =>
    (values as readonly string[]).includes(value);

export const isPurpose = isOneOf(PURPOSES);
export const isAction = isOneOf(ACTIONS);
export const isSource = isOneOf(SOURCES);

export const PURPOSE_LABELS = catalogueLabels(PURPOSES, (v) => t(`consent.purposes.${v}`));
export const ACTION_LABELS = catalogueLabels(ACTIONS, (v) => t(`consent.actions.${v}`));
export const SOURCE_LABELS = catalogueLabels(SOURCES, (v) => t(`consent.sources.${v}`));
export const METHOD_LABELS = catalogueLabels(METHODS, (v) => t(`consent.methods.${v}`));
export const DOCUMENT_LABELS = catalogueLabels(DOCUMENTS, (v) => t(`consent.documents.${v}`));
export const LANGUAGE_LABELS = catalogueLabels(LANGUAGES, (v) => t(`consent.languages.${v}`));

/** A value's label, or the value itself when the database holds one this console does not know yet. */
export function labelOf(labels: Readonly<Record<string, string>>, value: string | null | undefined): string {
  if (!value) return t("consent.cells.none");
  return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value]! : value;
}

/** Colours of the actions: giving green, taking back orange/red. */
export const ACTION_COLOURS: Record<string, string> = {
  granted: "green",
  re_accepted: "green",
  refused: "orange",
  withdrawn: "orange",
  expired: "default",
  invalidated: "red",
};

export type PolicyVersionRef = Pick<Tables<"policy_versions">, "id" | "document" | "version" | "status" | "effective_at">;
export const POLICY_VERSION_SELECT = "id,document,version,status,effective_at";

/** An event as the explorer reads it: the row, the customer (null for the auditor, who reads no contact data) and the version. */
export type ConsentEventRow = Omit<Tables<"consent_events">, "ip"> & {
  ip: string | null;
  customer?: { display_name: string | null; email: string } | null;
  policy?: { document: string; version: string } | null;
};
export const EVENT_SELECT =
  "id,customer_id,purpose,action,policy_version_id,language,source,collection_method,ip,user_agent,recorded_by,occurred_at,customer:customers(display_name,email),policy:policy_versions(document,version)";

export type CustomerConsentState = Tables<"customer_consents">;
export type ConsentStateAsOfRow = RpcRow<"consent_state_as_of">;

/** "Privacy policy 2026-05-12". */
export function versionLabel(policy: { document: string; version: string } | null | undefined, id: string | null): string {
  if (!id) return t("consent.cells.none");
  if (!policy) return t("consent.cells.versionUnknown", { id: id.slice(0, 8) });
  return t("consent.cells.versionLabel", { document: labelOf(DOCUMENT_LABELS, policy.document), version: policy.version });
}
