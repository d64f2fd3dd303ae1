/** The refunds list's filter bar: reason, currency, requester and requested dates, each applied as soon as it is picked. */
import { Alert, Button, Col, DatePicker, Row, Select } from "antd";
import dayjs from "dayjs";
import { useT } from "../../i18n";
import { useFilterDraft } from "../../lib/list";
import { shortId } from "./components";
import { useRefundThresholds } from "./data";
import { barFilters, refundListState, type RefundFilterState } from "./listState";
import { REASON_LABELS, REFUND_REASONS } from "./types";
import "../../i18n/messages/en/list";
import "../../i18n/messages/en/refunds";

const day = (value: dayjs.Dayjs | null | undefined) => (value ? value.format("YYYY-MM-DD") : "");

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
          <Select
            mode="multiple"
            allowClear
            aria-label={t("refunds.filters.reason")}
            placeholder={t("refunds.filters.anyReason")}
            style={{ width: "100%" }}
            value={draft.reasons}
            onChange={(reasons) => bar.update({ reasons })}
            options={REFUND_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }))}
          />
        </Col>
        <Col xs={12} md={4}>
          <Select
            allowClear
            aria-label={t("refunds.filters.currency")}
            placeholder={t("refunds.filters.anyCurrency")}
            style={{ width: "100%" }}
            value={draft.currency || undefined}
            onChange={(currency) => bar.update({ currency: currency ?? "" })}
            options={currencyOptions.map((value) => ({ value, label: value.toUpperCase() }))}
          />
        </Col>
        <Col xs={12} md={5}>
          <Select
            allowClear
            aria-label={t("refunds.filters.requester")}
            placeholder={t("refunds.filters.anyRequester")}
            style={{ width: "100%" }}
            value={draft.requester || undefined}
            onChange={(requester) => bar.update({ requester: requester ?? "" })}
            options={requesterOptions}
          />
        </Col>
        <Col xs={24} md={7}>
          <DatePicker.RangePicker
            aria-label={t("refunds.filters.requestedBetween")}
            style={{ width: "100%" }}
            allowEmpty={[true, true]}
            placeholder={[t("refunds.filters.requestedFrom"), t("refunds.filters.requestedTo")]}
            value={[draft.from ? dayjs(draft.from) : null, draft.to ? dayjs(draft.to) : null]}
            onChange={(range) => bar.update({ from: day(range?.[0]), to: day(range?.[1]) })}
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
