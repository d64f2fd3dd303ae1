/** The credits page's filter bar: reason, staff member, Bangkok dates, amount range, customer and (adjustments) status. */
import { Alert, Button, Col, Input, Row } from "antd";
import { useT } from "../../i18n";
import { ChoiceFilter, ChoicesFilter, DayRangeFilter, type FilterDraft } from "../../lib/list";
import { CustomerFilterSelect } from "../customers";
import { useVisibleStaff } from "./data";
import type { CreditFilterState, CreditTab } from "./state";
import { ADJUSTMENT_STATUSES, LEDGER_REASONS, reasonLabel, STATUS_LABELS } from "./types";
import "../../i18n/messages/en/credits";
import "../../i18n/messages/en/list"; // "Clear filters" is the kit's word

/** Who may be chosen as the staff member: the product itself, the directory, and whoever a link names. */
function useStaffOptions(staffId: string | null, chosen: string) {
  const t = useT();
  const staff = useVisibleStaff();
  const options = [
    { value: "none", label: t("credits.filters.nobody") },
    ...(staff.result.data ?? []).map((s) => ({ value: s.id, label: s.id === staffId ? t("credits.cells.nameYou", { name: s.display_name }) : s.display_name })),
  ];
  if (staffId && !options.some((o) => o.value === staffId)) options.push({ value: staffId, label: t("credits.filters.me") });
  if (chosen && !options.some((o) => o.value === chosen)) options.push({ value: chosen, label: t("credits.cells.staffShort", { id: chosen.slice(0, 8) }) });
  return options;
}

export function CreditFilterBar({ bar, tab, staffId, mayReadCustomers }: { bar: FilterDraft<CreditFilterState>; tab: CreditTab; staffId: string | null; mayReadCustomers: boolean }) {
  const t = useT();
  const { draft, update, updateLater, applyDraft } = bar;
  const staffOptions = useStaffOptions(staffId, draft.actor);

  return (
    <>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={6}>
          <ChoicesFilter
            label={t("credits.filters.reason")}
            placeholder={t("credits.filters.anyReason")}
            value={draft.reasons}
            onChange={(reasons) => update({ reasons })}
            options={LEDGER_REASONS.map((value) => ({ value, label: reasonLabel(value) }))}
          />
        </Col>
        <Col xs={12} md={5}>
          <ChoiceFilter
            label={t("credits.filters.staffMember")}
            placeholder={tab === "ledger" ? t("credits.filters.anyoneMadeBy") : t("credits.filters.anyoneRequestedBy")}
            value={draft.actor}
            onChange={(actor) => update({ actor })}
            options={staffOptions}
          />
        </Col>
        <Col xs={12} md={7}>
          <DayRangeFilter
            label={t("credits.filters.dateRange")}
            placeholders={[t("credits.filters.from"), t("credits.filters.to")]}
            from={draft.from}
            to={draft.to}
            onChange={(range) => update(range)}
          />
        </Col>
        <Col xs={12} md={3}>
          <Input aria-label={t("credits.filters.minimum")} placeholder={t("credits.filters.minPlaceholder")} inputMode="numeric" value={draft.min} onChange={(e) => updateLater({ min: e.target.value })} onPressEnter={applyDraft} />
        </Col>
        <Col xs={12} md={3}>
          <Input aria-label={t("credits.filters.maximum")} placeholder={t("credits.filters.maxPlaceholder")} inputMode="numeric" value={draft.max} onChange={(e) => updateLater({ max: e.target.value })} onPressEnter={applyDraft} />
        </Col>
        {/* The auditor reads no customer contact data, so there is nothing to search (a customer link still filters). */}
        {mayReadCustomers || draft.customer ? (
          <Col xs={24} md={8}>
            <CustomerFilterSelect
              disabled={!mayReadCustomers}
              label={t("credits.filters.customer")}
              placeholder={t("credits.filters.anyCustomer")}
              value={draft.customer}
              onChange={(customer) => update({ customer })}
            />
          </Col>
        ) : null}
        {tab === "adjustments" ? (
          <Col xs={24} md={6}>
            <ChoicesFilter
              label={t("credits.filters.status")}
              placeholder={t("credits.filters.anyStatus")}
              value={draft.statuses}
              onChange={(statuses) => update({ statuses })}
              options={ADJUSTMENT_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
            />
          </Col>
        ) : null}
        <Col>
          <Button onClick={bar.clear}>{t("list.filters.clear")}</Button>
        </Col>
      </Row>
      {bar.error ? <Alert type="warning" showIcon message={bar.error} /> : null}
    </>
  );
}
