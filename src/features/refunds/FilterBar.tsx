/** The refunds list's filter bar: reason, currency, requester and requested dates, each applied as soon as it is picked. */
import { Alert, Button, Col, Row } from "antd";
import { useT } from "../../i18n";
import { ChoiceFilter, ChoicesFilter, DayRangeFilter, useFilterDraft } from "../../lib/list";
import { shortId } from "./components";
import { useRefundThresholds } from "./data";
import { barFilters, refundListState, type RefundFilterState } from "./listState";
import { REASON_LABELS, REFUND_REASONS } from "./types";
import "../../i18n/messages/en/list";
import "../../i18n/messages/en/refunds";

export function RefundFilterBar({
  applied,
  onApply,
  me,
  staffNames,
  urlError,
}: {
  applied: RefundFilterState;
  onApply: (filters: RefundFilterState) => void;
  me: string | null;
  /** Requesters of the refunds on screen, offered in the requester picker. */
  staffNames: Map<string, string>;
  /** Why the filters in the URL (a hand-edited link) are not applied, or null. */
  urlError: string | null;
}) {
  const t = useT();
  const bar = useFilterDraft({
    applied,
    empty: refundListState.emptyFilters,
    validate: (filters) => void barFilters(filters),
    onApply,
    normalise: refundListState.normaliseFilters,
  });
  const { draft } = bar;
  const thresholds = useRefundThresholds();

  const currencyOptions = [...new Set([...(thresholds.result.data ?? []).map((threshold) => threshold.currency), ...(draft.currency ? [draft.currency] : [])])];
  const requesterOptions = [
    ...(me ? [{ value: me, label: t("refunds.filters.me") }] : []),
    ...[...staffNames.entries()].filter(([id]) => id !== me).map(([value, label]) => ({ value, label })),
    ...(draft.requester && draft.requester !== me && !staffNames.has(draft.requester) ? [{ value: draft.requester, label: t("refunds.staff", { id: shortId(draft.requester) }) }] : []),
  ].filter((option, index, all) => all.findIndex((o) => o.value === option.value) === index);

  const error = bar.error ?? urlError;
  return (
    <>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={6}>
          <ChoicesFilter
            label={t("refunds.filters.reason")}
            placeholder={t("refunds.filters.anyReason")}
            value={draft.reasons}
            onChange={(reasons) => bar.update({ reasons })}
            options={REFUND_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }))}
          />
        </Col>
        <Col xs={12} md={4}>
          <ChoiceFilter
            label={t("refunds.filters.currency")}
            placeholder={t("refunds.filters.anyCurrency")}
            value={draft.currency}
            onChange={(currency) => bar.update({ currency })}
            options={currencyOptions.map((value) => ({ value, label: value.toUpperCase() }))}
          />
        </Col>
        <Col xs={12} md={5}>
          <ChoiceFilter
            label={t("refunds.filters.requester")}
            placeholder={t("refunds.filters.anyRequester")}
            value={draft.requester}
            onChange={(requester) => bar.update({ requester })}
            options={requesterOptions}
          />
        </Col>
        <Col xs={24} md={7}>
          <DayRangeFilter
            label={t("refunds.filters.requestedBetween")}
            placeholders={[t("refunds.filters.requestedFrom"), t("refunds.filters.requestedTo")]}
            from={draft.from}
            to={draft.to}
            onChange={(range) => bar.update(range)}
          />
        </Col>
        <Col>
          <Button onClick={bar.clear}>{t("list.filters.clear")}</Button>
        </Col>
      </Row>
      {error ? <Alert type="warning" showIcon message={error} /> : null}
    </>
  );
}
