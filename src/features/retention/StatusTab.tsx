import { Empty, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { LoadError } from "../../lib/list";
import { BacklogChart } from "./BacklogChart";
import { usePurgeRuns, useRetentionRules, useRetentionStatus } from "./data";
import { describeInterval } from "./interval";
import { categoryLabel, labelOf, RETENTION_STATES, RULE_ACTION_LABELS, TRIGGER_LABELS, STATE_COLOURS, type RetentionRuleRow, type RetentionState, type RetentionStatusRow } from "./types";

/** The state as a coloured tag with its word (never colour alone) and what it means on hover. */
export function StateTag({ state }: { state: string | null }) {
  const t = useT();
  if (!state || !(RETENTION_STATES as readonly string[]).includes(state)) return <Tag>{state ?? t("common.status.noValue")}</Tag>;
  const known = state as RetentionState;
  return (
    <Tooltip title={t(`retention.stateHelp.${known}`)}>
      <Tag color={STATE_COLOURS[known]}>{t(`retention.states.${known}`)}</Tag>
    </Tooltip>
  );
}

function RuleCell({ row, rule }: { row: RetentionStatusRow; rule: RetentionRuleRow | undefined }) {
  const t = useT();
  const triggerWords = labelOf(TRIGGER_LABELS, rule?.trigger ?? row.trigger);
  const actionWords = labelOf(RULE_ACTION_LABELS, rule?.action ?? row.action);
  return (
    <Space direction="vertical" size={0}>
      <Tooltip title={rule?.action_detail}>
        <Typography.Text>{t("retention.status.rule", { period: describeInterval(rule?.period ?? row.period), trigger: triggerWords, action: actionWords })}</Typography.Text>
      </Tooltip>
      <Typography.Text type="secondary">{t("retention.status.basis", { basis: rule?.legal_basis ?? row.legal_basis ?? "" })}</Typography.Text>
      <Typography.Text type="secondary">{t("retention.status.backupLag", { lag: describeInterval(rule?.backup_lag ?? row.backup_lag) })}</Typography.Text>
      <Typography.Text type="secondary">
        {t("retention.status.owner", { owner: rule?.owner ?? row.owner ?? "" })} · {t("retention.status.ruleVersion", { version: String(rule?.version ?? row.rule_version ?? "") })}
      </Typography.Text>
    </Space>
  );
}

/** One row per data category from retention_status, with the rule in force, and the backlog chart. */
export function StatusTab() {
  const t = useT();
  const format = useFormatter();
  const status = useRetentionStatus();
  const rules = useRetentionRules();
  const runs = usePurgeRuns();
  if (status.error) return <LoadError title={t("retention.loadFailed")} error={status.error} onRetry={() => void status.refetch()} />;
  const rows = status.data ?? [];
  const ruleOf = (category: string | null) => rules.data?.find((r) => r.category === category);
  const count = (value: number | null) => format.number(Number(value ?? 0));
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {rows[0]?.as_of ? <Typography.Text type="secondary">{t("retention.status.asOf", { at: format.dateTime(rows[0].as_of) })}</Typography.Text> : null}
      <Table<RetentionStatusRow>
        aria-label={t("retention.status.table")}
        size="small"
        loading={status.isLoading}
        rowKey={(row) => row.category ?? ""}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("retention.status.empty")} /> }}
        scroll={{ x: true }}
        columns={[
          { title: t("retention.status.columns.category"), dataIndex: "category", render: (c: string | null) => <Typography.Text strong>{categoryLabel(c)}</Typography.Text> },
          { title: t("retention.status.columns.state"), dataIndex: "state", render: (s: string | null) => <StateTag state={s} /> },
          { title: t("retention.status.columns.rowsHeld"), dataIndex: "rows_held", align: "right", render: count },
          {
            title: t("retention.status.columns.pastPeriod"),
            key: "past",
            align: "right",
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <span>{count(row.rows_past_period)}</span>
                {Number(row.rows_past_period_on_hold ?? 0) > 0 ? (
                  <Typography.Text type="secondary">{t("retention.status.onHold", { count: Number(row.rows_past_period_on_hold) })}</Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t("retention.status.columns.oldest"),
            key: "oldest",
            render: (_, row) => (row.oldest_row_at ? `${describeInterval(row.oldest_row_age)} (${format.dateTime(row.oldest_row_at)})` : t("common.status.noValue")),
          },
          {
            title: t("retention.status.columns.nextDue"),
            key: "next",
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <span>{format.dateTime(row.next_due_at)}</span>
                {Number(row.rows_due_next_30_days ?? 0) > 0 ? (
                  <Typography.Text type="secondary">{t("retention.status.dueIn30", { count: Number(row.rows_due_next_30_days) })}</Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t("retention.status.columns.lastPurge"),
            key: "last",
            render: (_, row) =>
              row.last_purge_at
                ? t("retention.status.lastPurge", { at: format.dateTime(row.last_purge_at), rows: Number(row.last_purge_rows ?? 0) })
                : t("retention.status.never"),
          },
          { title: t("retention.status.columns.rule"), key: "rule", render: (_, row) => <RuleCell row={row} rule={ruleOf(row.category)} /> },
        ]}
      />
      {runs.error ? <LoadError title={t("retention.loadFailed")} error={runs.error} onRetry={() => void runs.refetch()} /> : <BacklogChart runs={runs.data ?? []} />}
    </Space>
  );
}
