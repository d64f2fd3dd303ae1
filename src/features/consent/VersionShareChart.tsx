import { Statistic, Table, Typography } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { ChartOrTable } from "../../lib/ChartOrTable";
import { stackedBarChart } from "../../lib/dashboard";
import { privacyPolicyCurrentShare, shareBars, STANDINGS, type VersionShareRow } from "./overview";
import { DOCUMENT_LABELS, labelOf } from "./types";
import "../../i18n/messages/en/consent";

const COLOURS: Record<string, string> = { current: "#52c41a", older: "#fa8c16", upcoming: "#1677ff", unversioned: "#bfbfbf", never: "#f5222d" };

interface Props {
  rows: readonly VersionShareRow[] | undefined;
  loading: boolean;
  error: { message: string } | null;
  onRetry: () => void;
}

/** policy_version_share as stacked bars per document (customers per standing) or as a table per version. */
export function VersionShareChart({ rows = [], loading, error, onRetry }: Props) {
  const t = useT();
  const format = useFormatter();
  const standing = (s: string) => t(`consent.overview.standings.${s as (typeof STANDINGS)[number]}`);
  const headline = privacyPolicyCurrentShare(rows);
  const bars = shareBars(rows).map((bar) => ({ ...bar, document: labelOf(DOCUMENT_LABELS, bar.document) }));
  return (
    <ChartOrTable
      title={t("consent.overview.shareTitle")}
      loading={loading}
      error={error}
      errorTitle={t("consent.overview.shareFailed")}
      onRetry={onRetry}
      empty={rows.length === 0 || Number(rows[0]!.active_customers) === 0}
      emptyText={t("consent.overview.shareEmpty")}
      chart={stackedBarChart({
        data: bars,
        xKey: "document",
        stackId: "customers",
        series: STANDINGS.map((s) => ({ key: s, name: standing(s), fill: COLOURS[s] })),
      })}
      table={
        <Table<VersionShareRow>
          rowKey={(r) => `${r.document}|${r.standing}|${r.policy_version_id ?? ""}`}
          size="small"
          aria-label={t("consent.overview.shareTableLabel")}
          dataSource={[...rows]}
          pagination={false}
          columns={[
            { key: "document", title: t("consent.overview.document"), render: (_, r) => labelOf(DOCUMENT_LABELS, r.document) },
            { key: "version", title: t("consent.overview.version"), render: (_, r) => r.version ?? t("consent.overview.noRate") },
            { key: "standing", title: t("consent.overview.standing"), render: (_, r) => standing(r.standing) },
            { key: "customers", title: t("consent.overview.customers"), render: (_, r) => format.number(Number(r.customers)) },
            { key: "share", title: t("consent.overview.share"), render: (_, r) => (r.share === null ? t("consent.overview.noRate") : format.percent(Number(r.share), 1)) },
          ]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t("consent.overview.shareHelp")}</Typography.Paragraph>
      {headline !== null ? <Statistic title={t("consent.overview.shareHeadline")} value={format.percent(headline, 1)} /> : null}
    </ChartOrTable>
  );
}
