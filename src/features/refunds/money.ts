import { t } from "../../i18n/provider";
import { currencyExponent, formatMoney } from "../../lib/format";
import { REFUNDED_STATUSES, RELEASED_STATUSES, RESERVED_STATUSES, type RefundRow, type RefundStatus } from "./types";
import "../../i18n/messages/en/refunds";

/**
 * Money arithmetic for refunds, without floating point: amounts travel as integers of minor units (as Stripe and
 * the database keep them); what staff type is major units ("123.45"), converted by string arithmetic.
 */

// Decimal places come from lib/format, the one list of zero-decimal currencies the console displays with.
export { currencyExponent };

/** Minor units → the plain major-unit string an input shows ("29900", thb → "299.00"; jpy 500 → "500"). */
export function minorToMajorInput(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  return `${minor < 0 ? "-" : ""}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: string };

const GROUPED = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN = /^\d+(\.\d+)?$/;

/**
 * Staff input in major units → minor units, checked: a number, more than zero, no more decimals than the
 * currency has, and at most `remaining` (minor units) when given. Thousands separators ("1,234.50") are accepted.
 */
export function parseMajorAmount(input: string, currency: string, remaining?: number): ParsedAmount {
  const text = input.trim().replace(/\s+/g, "");
  const code = currency.trim().toUpperCase();
  if (text === "") return { ok: false, error: t("refunds.amount.empty") };
  if (/^-/.test(text)) return { ok: false, error: t("refunds.amount.notPositive") };
  if (!PLAIN.test(text) && !GROUPED.test(text)) return { ok: false, error: t("refunds.amount.notAnAmount", { input: input.trim(), example: currencyExponent(currency) === 0 ? "1500" : "123.45" }) };
  const [whole = "0", fraction = ""] = text.replace(/,/g, "").split(".");
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) {
    return { ok: false, error: exponent === 0 ? t("refunds.amount.noDecimals", { code }) : t("refunds.amount.tooManyDecimals", { code, exponent }) };
  }
  const minorText = `${whole}${fraction.padEnd(exponent, "0")}`.replace(/^0+(?=\d)/, "");
  if (minorText.length > 15) return { ok: false, error: t("refunds.amount.tooLarge") };
  const minor = Number(minorText);
  if (minor <= 0) return { ok: false, error: t("refunds.amount.notPositive") };
  if (remaining !== undefined && minor > remaining) {
    return { ok: false, error: t("refunds.amount.aboveRemaining", { remaining: formatMoney(Math.max(remaining, 0), currency) }) };
  }
  return { ok: true, minor };
}

export interface RefundSummary {
  /** What the customer paid. */
  paid: number;
  /** At Stripe: pending, requires_action or succeeded refunds (what Stripe counts as refunded). */
  refunded: number;
  /** Requested but not at Stripe yet (awaiting approval, approved, processing). */
  reserved: number;
  /** paid − every refund not rejected, failed or canceled. */
  remaining: number;
}

/** A refund's amount as any reader hands it: like the payment's, a bigint may arrive as a string. */
type CountedRefund = Pick<RefundRow, "status"> & { amount: number | string };

const sumOf = (refunds: readonly CountedRefund[], statuses: readonly RefundStatus[]) =>
  refunds.filter((r) => statuses.includes(r.status)).reduce((total, r) => total + Number(r.amount), 0);

/** The payment's refund position from its rows in the database (the same rule request_refund enforces). */
export function summarisePayment(paymentAmount: number | string, refunds: readonly CountedRefund[]): RefundSummary {
  const paid = Number(paymentAmount);
  const committed = refunds.filter((r) => !RELEASED_STATUSES.includes(r.status)).reduce((total, r) => total + Number(r.amount), 0);
  return {
    paid,
    refunded: sumOf(refunds, REFUNDED_STATUSES),
    reserved: sumOf(refunds, RESERVED_STATUSES),
    remaining: Math.max(paid - committed, 0),
  };
}

/** Credits a top-up refund may claw back: the unused part of what the payment granted. */
export function clawbackOffer(creditsGranted: number | null | undefined, balance: number | string | null | undefined): number {
  const granted = Math.max(Number(creditsGranted ?? 0), 0);
  const current = Math.max(Number(balance ?? 0), 0);
  return Math.min(granted, current);
}
