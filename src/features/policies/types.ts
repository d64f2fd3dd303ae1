import type { Tables } from "../../lib/database";
import { catalogueLabels } from "../../i18n/labels";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/policies";

export const POLICY_DOCUMENTS = ["privacy_policy", "terms", "cookie_policy"] as const;
export type PolicyDocument = (typeof POLICY_DOCUMENTS)[number];
export const isPolicyDocument = (value: string): value is PolicyDocument => (POLICY_DOCUMENTS as readonly string[]).includes(value);

export const POLICY_STATUSES = ["draft", "published", "superseded"] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export const CHANGE_CLASSES = ["editorial", "notify", "re_accept"] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

export const DOCUMENT_LABELS = catalogueLabels(POLICY_DOCUMENTS, (d) => t(`policies.documents.${d}`));
export const STATUS_LABELS = catalogueLabels(POLICY_STATUSES, (s) => t(`policies.statuses.${s}`));
export const CHANGE_CLASS_LABELS = catalogueLabels(CHANGE_CLASSES, (c) => t(`policies.changeClasses.${c}`));

export const documentLabel = (value: string) => (isPolicyDocument(value) ? DOCUMENT_LABELS[value] : value);
export const statusLabel = (value: string) => ((POLICY_STATUSES as readonly string[]).includes(value) ? STATUS_LABELS[value as PolicyStatus] : value);
export const changeClassLabel = (value: string | null) =>
  value && (CHANGE_CLASSES as readonly string[]).includes(value) ? CHANGE_CLASS_LABELS[value as ChangeClass] : null;

/** A row of policy_versions as the database keeps it, with the publisher's name embedded. */
export type PolicyVersionRow = Tables<"policy_versions"> & { publisher?: { display_name: string } | null };

/** The list reads no bodies: label, status, dates, publisher, change class and the hashes. */
export const LIST_SELECT =
  "id,document,version,title,status,effective_at,published_at,published_by,change_class,body_sha256,body_th_sha256,superseded_at,created_at,publisher:staff_members!published_by(display_name)";
/** A version's page reads everything. */
export const SHOW_SELECT = "*,publisher:staff_members!published_by(display_name)";

/** The first 12 hex digits of a SHA-256: enough to tell versions apart at a glance (the full hash is copied). */
export const shortSha = (hash: string) => hash.slice(0, 12);
