/** The DSAR queue's filter bar: search (applied after a pause), pickers (at once), the received range, overdue only. */
import { Button, Checkbox, Col, Input, Row } from "antd";
import "../../i18n/messages/en/dsar";
import { useT } from "../../i18n";
import { ChoiceFilter, ChoicesFilter, DayRangeFilter, type FilterDraft } from "../../lib/list";
import type { QueueFilterState } from "./queueState";
import { CHANNEL_LABELS, DSAR_CHANNELS, DSAR_STATUSES, DSAR_TYPES, STATUS_LABELS, TYPE_LABELS } from "./types";

export function QueueFilterBar({ bar, assignees }: { bar: FilterDraft<QueueFilterState>; assignees: { id: string; display_name: string }[] | null }) {
  const t = useT();
  const { draft } = bar;
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={8}>
        <Input.Search
          allowClear
          aria-label={t("dsar.filters.search")}
          placeholder={t("dsar.filters.searchPlaceholder")}
          value={draft.search}
          onChange={(e) => bar.updateLater({ search: e.target.value })}
          onSearch={(search) => bar.update({ search })}
        />
      </Col>
      <Col xs={12} md={4}>
        <ChoicesFilter
          label={t("dsar.filters.type")}
          placeholder={t("dsar.filters.anyType")}
          value={draft.types}
          onChange={(types) => bar.update({ types })}
          options={DSAR_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }))}
        />
      </Col>
      <Col xs={12} md={4}>
        <ChoicesFilter
          label={t("dsar.filters.status")}
          placeholder={t("dsar.filters.anyStatus")}
          value={draft.statuses}
          onChange={(statuses) => bar.update({ statuses })}
          options={DSAR_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
        />
      </Col>
      <Col xs={12} md={4}>
        <ChoicesFilter
          label={t("dsar.filters.channel")}
          placeholder={t("dsar.filters.anyChannel")}
          value={draft.channels}
          onChange={(channels) => bar.update({ channels })}
          options={DSAR_CHANNELS.map((value) => ({ value, label: CHANNEL_LABELS[value] }))}
        />
      </Col>
      {assignees ? (
        <Col xs={12} md={4}>
          <ChoiceFilter
            label={t("dsar.filters.assignee")}
            placeholder={t("dsar.filters.anyAssignee")}
            value={draft.assignee}
            onChange={(assignee) => bar.update({ assignee })}
            options={[{ value: "none", label: t("dsar.filters.unassigned") }, ...assignees.map((s) => ({ value: s.id, label: s.display_name }))]}
          />
        </Col>
      ) : null}
      <Col xs={24} md={8}>
        <DayRangeFilter
          label={t("dsar.filters.receivedBetween")}
          placeholders={[t("dsar.filters.receivedFrom"), t("dsar.filters.receivedTo")]}
          from={draft.receivedFrom}
          to={draft.receivedTo}
          onChange={({ from, to }) => bar.update({ receivedFrom: from, receivedTo: to })}
        />
      </Col>
      <Col>
        <Checkbox checked={draft.overdueOnly} onChange={(e) => bar.update({ overdueOnly: e.target.checked })}>
          {t("dsar.filters.overdueOnly")}
        </Checkbox>
      </Col>
      <Col>
        <Button onClick={bar.clear}>{t("dsar.filters.clear")}</Button>
      </Col>
    </Row>
  );
}
