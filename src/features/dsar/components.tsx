import { Space, Tag, Tooltip, Typography } from "antd";
import { useT } from "../../i18n";
import { daysLeftColour, dueDateOfDeadline, daysLeftLabel, dueDescription, formatDueDate } from "./sla";
import { STATUS_COLOURS, STATUS_LABELS, TYPE_LABELS, type DsarQueueRow, type DsarStatus, type DsarType } from "./types";

/** The clock for one request: "N days overdue" in red, orange within a week, with the Bangkok due date. */
export function DueTag({ row, showStatutory = true }: { row: Pick<DsarQueueRow, "days_left" | "is_open" | "due_on" | "statutory_due_on" | "promise_due_at" | "extension_days">; showStatutory?: boolean }) {
  const t = useT();
  const promiseDueOn = dueDateOfDeadline(row.promise_due_at);
  if (!row.is_open) {
    return (
      <Space direction="vertical" size={0}>
        <Tag>{t("dsar.clock.closed")}</Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("dsar.clock.wasDue", { date: formatDueDate(row.due_on) })}
        </Typography.Text>
      </Space>
    );
  }
  return (
    <Tooltip title={dueDescription(promiseDueOn, row.statutory_due_on, row.extension_days)}>
      <Space direction="vertical" size={0}>
        <Tag color={daysLeftColour(row.days_left, row.is_open)}>{daysLeftLabel(row.days_left)}</Tag>
        <Typography.Text style={{ fontSize: 12 }}>{t("dsar.clock.due", { date: formatDueDate(row.due_on) })}</Typography.Text>
        {showStatutory && row.statutory_due_on !== row.due_on ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("dsar.clock.statutory", { date: formatDueDate(row.statutory_due_on) })}
          </Typography.Text>
        ) : null}
      </Space>
    </Tooltip>
  );
}

export function StatusTag({ status }: { status: DsarStatus }) {
  return <Tag color={STATUS_COLOURS[status]}>{STATUS_LABELS[status] ?? status}</Tag>;
}

export function TypeTag({ type }: { type: DsarType }) {
  return <Tag>{TYPE_LABELS[type] ?? type}</Tag>;
}
