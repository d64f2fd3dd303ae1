import { Button, Col, Input, Row, Select } from "antd";
import { useT } from "../../i18n";
import { DayRangeFilter, type FilterDraft } from "../../lib/list";
import type { CustomerFilterState } from "./search";
import "../../i18n/messages/en/customers";

/** The directory's search box and filters: pickers apply at once, typing after a pause (the kit's draft). */
export function CustomerFilterBar({ bar }: { bar: FilterDraft<CustomerFilterState> }) {
  const t = useT();
  const { draft } = bar;
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={10}>
        <Input.Search
          allowClear
          aria-label={t("customers.list.search")}
          placeholder={t("customers.list.searchHint")}
          value={draft.search}
          onChange={(e) => bar.updateLater({ search: e.target.value })}
          onSearch={(search) => bar.update({ search })}
        />
      </Col>
      <Col xs={12} md={4}>
        <Select
          aria-label={t("customers.list.status")}
          style={{ width: "100%" }}
          value={draft.status}
          onChange={(status) => bar.update({ status })}
          options={[
            { value: "all", label: t("customers.list.anyStatus") },
            { value: "active", label: t("customers.list.active") },
            { value: "deleted", label: t("customers.list.deleted") },
          ]}
        />
      </Col>
      <Col xs={12} md={5}>
        <Select
          aria-label={t("customers.list.restriction")}
          style={{ width: "100%" }}
          value={draft.restriction}
          onChange={(restriction) => bar.update({ restriction })}
          options={[
            { value: "all", label: t("customers.list.restrictedOrNot") },
            { value: "restricted", label: t("customers.list.restricted") },
            { value: "unrestricted", label: t("customers.list.notRestricted") },
          ]}
        />
      </Col>
      <Col xs={12} md={5}>
        <Select
          aria-label={t("customers.list.plan")}
          style={{ width: "100%" }}
          value={draft.plan}
          onChange={(plan) => bar.update({ plan })}
          options={[
            { value: "all", label: t("customers.list.anyPlan") },
            { value: "none", label: t("customers.list.noSubscription") },
            { value: "creator", label: t("customers.list.plans.creator") },
            { value: "pro", label: t("customers.list.plans.pro") },
            { value: "studio", label: t("customers.list.plans.studio") },
          ]}
        />
      </Col>
      <Col xs={12} md={4}>
        <Input
          aria-label={t("customers.list.country")}
          placeholder={t("customers.list.countryHint")}
          maxLength={2}
          value={draft.country}
          onChange={(e) => {
            const country = e.target.value.toUpperCase();
            // Apply once the code is complete (or cleared); half-typed codes only update the box.
            if (country.length === 2 || country.length === 0) bar.update({ country });
            else bar.edit({ country });
          }}
        />
      </Col>
      <Col xs={24} md={10}>
        <DayRangeFilter
          label={t("customers.list.createdBetween")}
          from={draft.createdFrom}
          to={draft.createdTo}
          onChange={({ from, to }) => bar.update({ createdFrom: from, createdTo: to })}
        />
      </Col>
      <Col>
        <Button onClick={bar.clear}>{t("customers.list.clearFilters")}</Button>
      </Col>
    </Row>
  );
}
