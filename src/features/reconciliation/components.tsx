/** Pieces of the reconciliation page: counts, totals, the discrepancies table and the CSV download. */
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Radio, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { discrepanciesCsv } from "./csv";
import { displayAmount } from "./money";
import { DISCREPANCY_KINDS, type CountKey, type Discrepancy, type DiscrepancyKind, type RunCounts, type RunFileKind, type TotalsRow } from "./types";
import { downloadBlob } from "../../lib/download";
import { useT } from "../../i18n";
import { t } from "../../i18n/provider";
import "../../i18n/messages/en/reconciliation";

const kindLabel = (kind: CountKey): string => t(`reconciliation.kind.${kind}`);

const KIND_COLOURS: Record<DiscrepancyKind, string> = {
  amount_mismatch: "red",
  status_mismatch: "orange",
  refund_mismatch: "magenta",
  missing_in_database: "volcano",
  missing_in_stripe: "purple",
};

/** A run's source in a few words ("Payments export"). */
export const sourceLabel = (kind: RunFileKind): string => t(`reconciliation.source.${kind}`);

function KindTag({ kind }: { kind: DiscrepancyKind }) {
  return <Tag color={KIND_COLOURS[kind]}>{kindLabel(kind)}</Tag>;
}

export function CountCards({ counts }: { counts: RunCounts }) {
  const t = useT();
  const keys: CountKey[] = ["matched", ...DISCREPANCY_KINDS];
  return (
    <Row gutter={[12, 12]} role="list" aria-label={t("reconciliation.counts.label")}>
      {keys.map((key) => (
        <Col key={key} xs={12} md={8} xl={4} role="listitem">
          <Card size="small">
            <Statistic
              title={kindLabel(key)}
              value={counts[key] ?? 0}
              valueStyle={key !== "matched" && (counts[key] ?? 0) > 0 ? { color: "#cf1322" } : key === "matched" ? { color: "#389e0d" } : undefined}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export function TotalsTable({ totals }: { totals: readonly TotalsRow[] }) {
  const t = useT();
  return (
    <Table<TotalsRow>
      size="small"
      aria-label={t("reconciliation.totals.label")}
      rowKey={(row) => `${row.currency}-${row.category}`}
      dataSource={[...totals]}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("reconciliation.totals.empty")} /> }}
      columns={[
        { title: t("reconciliation.totals.currency"), dataIndex: "currency", render: (c: string) => c.toUpperCase() },
        { title: t("reconciliation.totals.category"), dataIndex: "category" },
        { title: t("reconciliation.totals.stripeCount"), dataIndex: "stripe_count", align: "right" },
        { title: t("reconciliation.totals.stripeAmount"), key: "sa", align: "right", render: (_: unknown, row) => displayAmount(row.stripe_amount, row.currency) },
        { title: t("reconciliation.totals.databaseCount"), dataIndex: "database_count", align: "right" },
        { title: t("reconciliation.totals.databaseAmount"), key: "da", align: "right", render: (_: unknown, row) => displayAmount(row.database_amount, row.currency) },
        {
          title: t("reconciliation.totals.agree"),
          key: "agree",
          render: (_: unknown, row) =>
            row.stripe_count === row.database_count && row.stripe_amount === row.database_amount ? (
              <Tag color="green">{t("reconciliation.totals.yes")}</Tag>
            ) : (
              <Tag color="red">{t("reconciliation.totals.no")}</Tag>
            ),
        },
      ]}
    />
  );
}

export function downloadText(text: string, fileName: string, type = "text/csv;charset=utf-8"): void {
  downloadBlob(new Blob([text], { type }), fileName);
}

export function DiscrepanciesSection({ discrepancies, fileBase }: { discrepancies: readonly Discrepancy[]; fileBase: string }) {
  const t = useT();
  const [kind, setKind] = useState<DiscrepancyKind | "all">("all");
  const shown = useMemo(() => (kind === "all" ? discrepancies : discrepancies.filter((d) => d.kind === kind)), [discrepancies, kind]);
  // One pass per run, not one filter per kind on every render (a run can list 100,000+ rows).
  const counts = useMemo(() => {
    const byKind = new Map<DiscrepancyKind, number>();
    for (const d of discrepancies) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
    return byKind;
  }, [discrepancies]);
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as DiscrepancyKind | "all")} optionType="button" aria-label={t("reconciliation.discrepancies.filterLabel")}>
          <Radio.Button value="all">{t("reconciliation.discrepancies.all", { count: String(discrepancies.length) })}</Radio.Button>
          {DISCREPANCY_KINDS.map((k) => (
            <Radio.Button key={k} value={k}>
              {t("reconciliation.discrepancies.ofKind", { kind: kindLabel(k), count: String(counts.get(k) ?? 0) })}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Button
          icon={<DownloadOutlined />}
          disabled={discrepancies.length === 0}
          onClick={() => downloadText(discrepanciesCsv(discrepancies), `${fileBase}-discrepancies.csv`)}
        >
          {t("reconciliation.discrepancies.download")}
        </Button>
      </Space>
      <Table<Discrepancy>
        size="small"
        aria-label={t("reconciliation.discrepancies.tableLabel")}
        rowKey={(d) => `${d.kind}-${d.stripe_id}-${d.payment_id}-${d.refund_id}-${d.line}`}
        dataSource={[...shown]}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 1100 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t(discrepancies.length === 0 ? "reconciliation.discrepancies.none" : "reconciliation.discrepancies.noneOfKind")}
            />
          ),
        }}
        columns={[
          { title: t("reconciliation.discrepancies.kind"), dataIndex: "kind", render: (k: DiscrepancyKind) => <KindTag kind={k} />, width: 170 },
          { title: t("reconciliation.discrepancies.stripeId"), dataIndex: "stripe_id", render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : "—") },
          { title: t("reconciliation.discrepancies.line"), dataIndex: "line", width: 70, render: (v: number | null) => v ?? "—" },
          { title: t("reconciliation.discrepancies.stripeAmount"), key: "sa", align: "right", render: (_: unknown, d) => displayAmount(d.stripe_amount, d.currency) },
          { title: t("reconciliation.discrepancies.databaseAmount"), key: "da", align: "right", render: (_: unknown, d) => displayAmount(d.database_amount, d.currency) },
          { title: t("reconciliation.discrepancies.stripeStatus"), dataIndex: "stripe_status", render: (v: string | null) => v ?? "—" },
          { title: t("reconciliation.discrepancies.databaseStatus"), dataIndex: "database_status", render: (v: string | null) => v ?? "—" },
          { title: t("reconciliation.discrepancies.detail"), dataIndex: "detail" },
        ]}
      />
    </Space>
  );
}
