/**
 * Which Stripe file is this? Decided from the header alone. Column names are compared case-, space- and
 * punctuation-insensitively ("Created date (UTC)" ≡ "created_date_utc"), extra columns are ignored and the
 * order does not matter. Header variants across export versions are listed as aliases.
 */
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/reconciliation"; // registers the words here too: this module runs in the worker
import type { FileKind } from "./types";

function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

interface ColumnSpec {
  /** Canonical name, used in messages. */
  label: string;
  aliases: string[];
  required: boolean;
}

export const BALANCE_REPORT_COLUMNS = {
  balance_transaction_id: { label: "balance_transaction_id", aliases: ["balance transaction id"], required: true },
  created_utc: { label: "created_utc", aliases: ["created utc", "created date utc"], required: true },
  currency: { label: "currency", aliases: ["currency"], required: true },
  gross: { label: "gross", aliases: ["gross", "amount"], required: true },
  fee: { label: "fee", aliases: ["fee"], required: true },
  net: { label: "net", aliases: ["net"], required: true },
  reporting_category: { label: "reporting_category", aliases: ["reporting category"], required: true },
  source_id: { label: "source_id", aliases: ["source id", "source"], required: true },
  charge_id: { label: "charge_id", aliases: ["charge id", "charge"], required: false },
  payment_intent_id: { label: "payment_intent_id", aliases: ["payment intent id", "paymentintent id", "payment intent"], required: false },
  refund_id: { label: "refund_id", aliases: ["refund id"], required: false },
  customer_id: { label: "customer_id", aliases: ["customer id", "customer"], required: false },
} satisfies Record<string, ColumnSpec>;

// not-ui-text: Stripe's own column names, quoted in messages as the file spells them.
export const PAYMENTS_EXPORT_COLUMNS = {
  id: { label: "id", aliases: ["id", "charge id", "payment id"], required: true },
  created: { label: "Created (UTC)", aliases: ["created utc", "created date utc", "created date", "created"], required: true },
  amount: { label: "Amount", aliases: ["amount"], required: true },
  amount_refunded: { label: "Amount Refunded", aliases: ["amount refunded", "refunded amount"], required: false },
  currency: { label: "Currency", aliases: ["currency"], required: true },
  status: { label: "Status", aliases: ["status"], required: true },
  captured: { label: "Captured", aliases: ["captured"], required: false },
  payment_intent_id: { label: "PaymentIntent ID", aliases: ["paymentintent id", "payment intent id", "payment intent"], required: false },
  customer_id: { label: "Customer ID", aliases: ["customer id", "customer"], required: false },
} satisfies Record<string, ColumnSpec>;

export type BalanceColumn = keyof typeof BALANCE_REPORT_COLUMNS;
export type PaymentsColumn = keyof typeof PAYMENTS_EXPORT_COLUMNS;

export type HeaderDetection =
  | { ok: true; kind: "balance_report"; columns: Record<BalanceColumn, number>; names: string[] }
  | { ok: true; kind: "payments_export"; columns: Record<PaymentsColumn, number>; names: string[] }
  | { ok: false; kind: FileKind | null; message: string; missing: string[] };

/** What the page and the file's messages call a kind of file. */
export function fileKindLabel(kind: FileKind): string {
  return t(`reconciliation.fileKind.${kind}`);
}

function missingColumns(kind: FileKind, missing: readonly string[]): string {
  return t("reconciliation.file.missingColumns", { kind: fileKindLabel(kind), count: missing.length, columns: missing.join(", ") });
}

function locate<K extends string>(specs: Record<K, ColumnSpec>, normalised: string[]): { columns: Record<K, number>; missing: string[] } {
  const columns = {} as Record<K, number>;
  const missing: string[] = [];
  for (const key of Object.keys(specs) as K[]) {
    const spec = specs[key];
    let index = -1;
    for (const alias of spec.aliases) {
      index = normalised.indexOf(alias);
      if (index >= 0) break;
    }
    columns[key] = index;
    if (index < 0 && spec.required) missing.push(spec.label);
  }
  return { columns, missing };
}

/** Detects the kind from the header row (cells as parsed). */
export function detectFileKind(header: readonly string[]): HeaderDetection {
  const names = header.map((h) => h.replace(/^\uFEFF/, "").trim());
  const normalised = names.map(normaliseHeader);
  const has = (n: string) => normalised.includes(n);
  let kind: FileKind | null = null;
  if (has("balance transaction id") || has("reporting category")) kind = "balance_report";
  else if (has("id") && (has("status") || has("amount refunded") || has("captured") || has("created date utc") || has("created utc"))) kind = "payments_export";
  if (kind === null) {
    const shown = names.filter((n) => n !== "").slice(0, 8);
    return {
      ok: false,
      kind: null,
      missing: [],
      message: t("reconciliation.file.unknownHeader", {
        header: `${shown.length > 0 ? shown.join(", ") : t("reconciliation.file.emptyHeader")}${names.length > shown.length ? ", …" : ""}`,
      }),
    };
  }
  if (kind === "balance_report") {
    const { columns, missing } = locate(BALANCE_REPORT_COLUMNS, normalised);
    if (missing.length > 0) return { ok: false, kind, missing, message: missingColumns(kind, missing) };
    return { ok: true, kind, columns, names };
  }
  const { columns, missing } = locate(PAYMENTS_EXPORT_COLUMNS, normalised);
  if (missing.length > 0) return { ok: false, kind, missing, message: missingColumns(kind, missing) };
  return { ok: true, kind, columns, names };
}
