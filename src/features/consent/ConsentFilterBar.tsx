/** The explorer's filter bar: customer, purpose, action, policy version (by label), source, Bangkok dates. */
import { Alert, Button, Col, Input, Row } from "antd";
import { useT } from "../../i18n";
import { ChoiceFilter, ChoicesFilter, DayRangeFilter, type FilterDraft } from "../../lib/list";
import { CustomerFilterSelect } from "../customers";
import type { ConsentFilterState } from "./state";
import { ACTION_LABELS, ACTIONS, PURPOSE_LABELS, PURPOSES, SOURCE_LABELS, SOURCES, versionLabel, type PolicyVersionRef } from "./types";
import "../../i18n/messages/en/consent";
import "../../i18n/messages/en/list"; // "Clear filters" is the kit's word

/** The DPO searches customers by e-mail or name; the auditor reads no contact data, so pastes the id. */
function CustomerFilter({ bar, mayReadCustomers }: { bar: FilterDraft<ConsentFilterState>; mayReadCustomers: boolean }) {
  const t = useT();
  const { draft, update, updateLater, applyDraft } = bar;
  if (!mayReadCustomers) {
    return (
      <Input
        allowClear
        aria-label={t("consent.filters.customerId")}
        placeholder={t("consent.filters.customerIdPlaceholder")}
        value={draft.customer}
        onChange={(e) => updateLater({ customer: e.target.value })}
        onPressEnter={applyDraft}
      />
    );
  }
  return (
    <CustomerFilterSelect
      label={t("consent.filters.customer")}
      placeholder={t("consent.filters.anyCustomer")}
      value={draft.customer}
      onChange={(customer) => update({ customer })}
    />
  );
}


export function ConsentFilterBar({ bar, versions, mayReadCustomers }: { bar: FilterDraft<ConsentFilterState>; versions: readonly PolicyVersionRef[]; mayReadCustomers: boolean }) {
  const t = useT();
  const { draft, update } = bar;
  const versionOptions = versions.map((v) => ({ value: v.id, label: versionLabel(v, v.id) }));
  if (draft.version && !versionOptions.some((o) => o.value === draft.version)) versionOptions.push({ value: draft.version, label: versionLabel(null, draft.version) });
  return (
    <>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={8}>
          <CustomerFilter bar={bar} mayReadCustomers={mayReadCustomers} />
        </Col>
        <Col xs={12} md={8}>
          <ChoicesFilter label={t("consent.filters.purpose")} placeholder={t("consent.filters.anyPurpose")} value={draft.purposes} onChange={(purposes) => update({ purposes })} options={PURPOSES.map((value) => ({ value, label: PURPOSE_LABELS[value] }))} />
        </Col>
        <Col xs={12} md={8}>
          <ChoicesFilter label={t("consent.filters.action")} placeholder={t("consent.filters.anyAction")} value={draft.actions} onChange={(actions) => update({ actions })} options={ACTIONS.map((value) => ({ value, label: ACTION_LABELS[value] }))} />
        </Col>
        <Col xs={12} md={6}>
          <ChoiceFilter label={t("consent.filters.version")} placeholder={t("consent.filters.anyVersion")} value={draft.version} onChange={(version) => update({ version })} options={versionOptions} />
        </Col>
        <Col xs={12} md={6}>
          <ChoicesFilter label={t("consent.filters.source")} placeholder={t("consent.filters.anySource")} value={draft.sources} onChange={(sources) => update({ sources })} options={SOURCES.map((value) => ({ value, label: SOURCE_LABELS[value] }))} />
        </Col>
        <Col xs={24} md={8}>
          <DayRangeFilter label={t("consent.filters.dateRange")} placeholders={[t("consent.filters.from"), t("consent.filters.to")]} from={draft.from} to={draft.to} onChange={(range) => update(range)} />
        </Col>
        <Col>
          <Button onClick={bar.clear}>{t("list.filters.clear")}</Button>
        </Col>
      </Row>
      {bar.error ? <Alert type="warning" showIcon message={bar.error} /> : null}
    </>
  );
}
