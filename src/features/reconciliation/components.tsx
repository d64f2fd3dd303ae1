/** Pieces of the reconciliation page: counts, totals, the discrepancies table and the CSV download. */
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Radio, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { discrepanciesCsv } from "./csv";
import { displayAmount } from "./money";
import { DISCREPANCY_KINDS, type CountKey, type Discrepancy, type DiscrepancyKind, type RunCounts, type RunFileKind, type TotalsRow } from "./types";
import { downloadBlob } from "../../lib/download";

const KIND_LABELS: Record<CountKey, string> = {
  matched: "Matched",
  amount_mismatch: "Amount mismatch",
  status_mismatch: "Status mismatch",
  refund_mismatch: "Refund mismatch",
  missing_in_database: "In Stripe, not in the database",
  missing_in_stripe: "In the database, not in Stripe",
};

const KIND_COLOURS: Record<DiscrepancyKind, string> = {
  amount_mismatch: "red",
  status_mismatch: "orange",
  refund_mismatch: "magenta",
  missing_in_database: "volcano",
  missing_in_stripe: "purple",
};

export const FILE_KIND_SHORT: Record<RunFileKind, string> = {
  balance_report: "Balance report",
  payments_export: "Payments export",
  stripe_api: "Stripe API pull",
};

function KindTag({ kind }: { kind: DiscrepancyKind }) {
  return <Tag color={KIND_COLOURS[kind]}>{KIND_LABELS[kind]}</Tag>;
}

export function CountCards({ counts }: { counts: RunCounts }) {
  const keys: CountKey[] = ["matched", ...DISCREPANCY_KINDS];
  return (
    <Row gutter={[12, 12]} role="list" aria-label="Reconciliation counts">
      {keys.map((key) => (
        <Col key={key} xs={12} md={8} xl={4} role="listitem">
          <Card size="small">
            <Statistic
              title={KIND_LABELS[key]}
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
  return (
    <Table<TotalsRow>
      size="small"
      aria-label="Totals per currency and category"
      rowKey={(t) => `${t.currency}-${t.category}`}
      dataSource={[...totals]}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No totals." /> }}
      columns={[
        { title: "Currency", dataIndex: "currency", render: (c: string) => c.toUpperCase() },
        { title: "Category", dataIndex: "category" },
        { title: "Stripe count", dataIndex: "stripe_count", align: "right" },
        { title: "Stripe amount", key: "sa", align: "right", render: (_: unknown, t) => displayAmount(t.stripe_amount, t.currency) },
        { title: "Database count", dataIndex: "database_count", align: "right" },
        { title: "Database amount", key: "da", align: "right", render: (_: unknown, t) => displayAmount(t.database_amount, t.currency) },
        {
          title: "Agree",
          key: "agree",
          render: (_: unknown, t) =>
            t.stripe_count === t.database_count && t.stripe_amount === t.database_amount ? <Tag color="green">yes</Tag> : <Tag color="red">no</Tag>,
        },
      ]}
    />
  );
}

export function downloadText(text: string, fileName: string, type = "text/csv;charset=utf-8"): void {
  downloadBlob(new Blob([text], { type }), fileName);
}

export function DiscrepanciesSection({ discrepancies, fileBase }: { discrepancies: readonly Discrepancy[]; fileBase: string }) {
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
        <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as DiscrepancyKind | "all")} optionType="button" aria-label="Filter discrepancies by kind">
          <Radio.Button value="all">All ({discrepancies.length})</Radio.Button>
          {DISCREPANCY_KINDS.map((k) => (
            <Radio.Button key={k} value={k}>
              {KIND_LABELS[k]} ({counts.get(k) ?? 0})
            </Radio.Button>
          ))}
        </Radio.Group>
        <Button
          icon={<DownloadOutlined />}
          disabled={discrepancies.length === 0}
          onClick={() => downloadText(discrepanciesCsv(discrepancies), `${fileBase}-discrepancies.csv`)}
        >
          Download discrepancies CSV
        </Button>
      </Space>
      <Table<Discrepancy>
        size="small"
        aria-label="Discrepancies"
        rowKey={(d) => `${d.kind}-${d.stripe_id}-${d.payment_id}-${d.refund_id}-${d.line}`}
        dataSource={[...shown]}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        scroll={{ x: 1100 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={discrepancies.length === 0 ? "No discrepancies: Stripe and the database agree." : "No discrepancies of this kind."}
            />
          ),
        }}
        columns={[
          { title: "Kind", dataIndex: "kind", render: (k: DiscrepancyKind) => <KindTag kind={k} />, width: 170 },
          { title: "Stripe id", dataIndex: "stripe_id", render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : "—") },
          { title: "Line", dataIndex: "line", width: 70, render: (v: number | null) => v ?? "—" },
          { title: "Stripe amount", key: "sa", align: "right", render: (_: unknown, d) => displayAmount(d.stripe_amount, d.currency) },
          { title: "Database amount", key: "da", align: "right", render: (_: unknown, d) => displayAmount(d.database_amount, d.currency) },
          { title: "Stripe status", dataIndex: "stripe_status", render: (v: string | null) => v ?? "—" },
          { title: "Database status", dataIndex: "database_status", render: (v: string | null) => v ?? "—" },
          { title: "Detail", dataIndex: "detail" },
        ]}
      />
    </Space>
  );
}
