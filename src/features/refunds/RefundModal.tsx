import { useState } from "react";
import { Alert, Button, Checkbox, Descriptions, Form, Input, Modal, Radio, Select, Space, Spin, Typography } from "antd";
import { useT } from "../../i18n";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { formatBangkokDateTime, formatCredits, formatMoney } from "../../lib/format";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { newIdempotencyKey, requestRefund } from "./api";
import { RefundOutcome } from "./RefundOutcome";
import { useCreditBalance, usePayment, usePaymentRefunds, useRefreshRefunds } from "./data";
import { clawbackOffer, currencyExponent, minorToMajorInput, parseMajorAmount, summarisePayment } from "./money";
import { REASON_LABELS, REFUND_REASONS, type RefundablePayment, type RefundReason, type RefundRow } from "./types";
import "../../i18n/messages/en/refunds";

export const NOTE_MAX = 2000;

export interface RefundModalProps {
  payment: RefundablePayment;
  customerId: string;
  /** finance refunds (and may send at once); support requests a refund that waits for finance. */
  mode: "refund" | "request";
  onClose: () => void;
}

/**
 * Refund (finance) or request a refund (support) of one payment. What was paid, refunded, reserved and what
 * remains come from the database when the form opens; the database checks them again on submit. One idempotency
 * key per opening: a double click or a retry after a timeout records one request.
 */
export function RefundModal({ payment: given, customerId, mode, onClose }: RefundModalProps) {
  const t = useT();
  const getClient = useSupabaseClient();
  const refresh = useRefreshRefunds();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const paymentQuery = usePayment(given.id);
  const refundsQuery = usePaymentRefunds(given.id);
  const payment = paymentQuery.result ?? given;
  const isTopUp = payment.kind === "top_up" && Number(payment.credits_granted ?? 0) > 0;
  const balance = useCreditBalance(customerId, isTopUp);

  const [kind, setKind] = useState<"full" | "partial">("full");
  const [amountText, setAmountText] = useState("");
  const [reason, setReason] = useState<RefundReason>("requested_by_customer");
  const [note, setNote] = useState("");
  const [clawback, setClawback] = useState(false);
  const [touched, setTouched] = useState(false);
  const { pending, error, guard } = useGuardedAction();
  const [created, setCreated] = useState<RefundRow | null>(null);

  const loading = refundsQuery.query.isLoading || paymentQuery.query.isLoading;
  const loadError = refundsQuery.query.error ?? paymentQuery.query.error;
  const summary = summarisePayment(payment.amount, refundsQuery.result.data ?? []);
  const currency = payment.currency;
  const offer = clawbackOffer(payment.credits_granted, balance.balance);

  const parsed = kind === "full" ? ({ ok: true, minor: summary.remaining } as const) : parseMajorAmount(amountText, currency, summary.remaining);
  const amountError = kind === "partial" && (touched || amountText !== "") && !parsed.ok ? parsed.error : null;
  const noteError = touched && note.trim() === "" ? t("refunds.modal.noteRequired") : note.length > NOTE_MAX ? t("refunds.modal.noteTooLong", { max: String(NOTE_MAX) }) : null;
  const nothingLeft = !loading && !loadError && summary.remaining <= 0;

  const submit = async () => {
    setTouched(true);
    if (created) return;
    if (!parsed.ok || parsed.minor <= 0 || note.trim() === "" || note.length > NOTE_MAX || nothingLeft) return;
    await guard(async () => {
      const row = await requestRefund(await getClient(), {
        paymentId: payment.id,
        amount: parsed.minor,
        currency,
        reason,
        note: note.trim(),
        idempotencyKey,
        clawbackCredits: isTopUp && clawback ? offer : 0,
      });
      setCreated(row);
      await refresh();
    });
  };

  const title = t(mode === "refund" ? "refunds.modal.refundTitle" : "refunds.modal.requestTitle", { date: formatBangkokDateTime(payment.created_at) });

  return (
    <Modal
      open
      width={640}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={!pending}
      footer={
        created ? (
          <Button onClick={onClose}>{t("common.actions.close")}</Button>
        ) : (
          <Space>
            <Button onClick={onClose} disabled={pending}>
              {t("common.actions.cancel")}
            </Button>
            <Button type="primary" danger={mode === "refund"} loading={pending} disabled={loading || nothingLeft || Boolean(loadError)} onClick={() => void submit()}>
              {mode === "refund" ? t("refunds.modal.refund") : t("refunds.modal.requestRefund")}
            </Button>
          </Space>
        )
      }
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        {loading ? (
          <Spin tip={t("refunds.modal.loading")}>
            <div style={{ height: 48 }} />
          </Spin>
        ) : null}
        {loadError ? <Alert type="error" showIcon message={t("refunds.modal.loadFailed")} description={loadError.message} /> : null}
        {!loading && !loadError ? (
          <Descriptions size="small" column={2} bordered aria-label={t("refunds.modal.positionLabel")} contentStyle={{ whiteSpace: "nowrap" }}>
            <Descriptions.Item label={t("refunds.modal.paid")}>{formatMoney(summary.paid, currency)}</Descriptions.Item>
            <Descriptions.Item label={t("refunds.modal.alreadyRefunded")}>{formatMoney(summary.refunded, currency)}</Descriptions.Item>
            <Descriptions.Item label={t("refunds.modal.reserved")}>{formatMoney(summary.reserved, currency)}</Descriptions.Item>
            <Descriptions.Item label={t("refunds.modal.remaining")}>
              <strong>{formatMoney(summary.remaining, currency)}</strong>
            </Descriptions.Item>
          </Descriptions>
        ) : null}
        {created ? (
          <RefundOutcome refund={created} mayExecute={mode === "refund"} />
        ) : (
          <>
            {nothingLeft ? <Alert type="info" showIcon message={t("refunds.modal.nothingLeft")} /> : null}
            {error ? <Alert type="error" showIcon message={t("refunds.modal.notRecorded")} description={error} role="alert" /> : null}
            <Form layout="vertical" disabled={pending || nothingLeft} onFinish={() => void submit()} component="div">
              <Form.Item label={t("refunds.modal.amount")}>
                <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as "full" | "partial")} aria-label={t("refunds.modal.fullOrPartial")}>
                  <Radio value="full">{t("refunds.modal.full", { amount: formatMoney(summary.remaining, currency) })}</Radio>
                  <Radio value="partial">{t("refunds.modal.partial")}</Radio>
                </Radio.Group>
              </Form.Item>
              {kind === "partial" ? (
                <Form.Item
                  label={t("refunds.modal.amountToRefundIn", {
                    code: currency.toUpperCase(),
                    precision: currencyExponent(currency) === 0 ? t("refunds.modal.wholeUnits") : t("refunds.modal.upToDecimals", { decimals: currencyExponent(currency) }),
                  })}
                  validateStatus={amountError ? "error" : undefined}
                  help={amountError ?? t("refunds.modal.atMost", { amount: minorToMajorInput(summary.remaining, currency) })}
                  required
                >
                  <Input aria-label={t("refunds.modal.amountToRefund")} inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} autoFocus />
                </Form.Item>
              ) : null}
              <Form.Item label={t("refunds.modal.reason")} required>
                <Select<RefundReason>
                  aria-label={t("refunds.modal.reason")}
                  value={reason}
                  onChange={setReason}
                  options={REFUND_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }))}
                />
              </Form.Item>
              <Form.Item label={t("refunds.modal.note")} required validateStatus={noteError ? "error" : undefined} help={noteError ?? undefined}>
                <Input.TextArea aria-label={t("refunds.modal.note")} rows={3} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} />
              </Form.Item>
              {isTopUp ? (
                <Form.Item>
                  <Checkbox checked={clawback && offer > 0} disabled={offer <= 0} onChange={(e) => setClawback(e.target.checked)}>
                    {t("refunds.modal.clawback", { credits: formatCredits(offer) })}
                  </Checkbox>
                  <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
                    {t("refunds.modal.clawbackExplained", {
                      granted: formatCredits(payment.credits_granted),
                      balance: balance.balance === null ? t("refunds.modal.balanceLoading") : formatCredits(balance.balance),
                    })}
                  </Typography.Paragraph>
                </Form.Item>
              ) : null}
              {mode === "request" ? (
                <Typography.Text type="secondary">{t("refunds.modal.financeApproves")}</Typography.Text>
              ) : null}
            </Form>
          </>
        )}
      </Space>
    </Modal>
  );
}
