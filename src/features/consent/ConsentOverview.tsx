import { Select, Space } from "antd";
import { useT } from "../../i18n";
import { useOptInOverTime, useVersionShare } from "./data";
import { OptInChart } from "./OptInChart";
import { bangkokToday, periodRange, PERIODS, type Period } from "./period";
import { VersionShareChart } from "./VersionShareChart";
import "../../i18n/messages/en/consent";

/** The explorer's overview tab (DPO and auditor): the opt-in rate per purpose over the period, and customers per version. */
export function ConsentOverview({ period, onPeriod }: { period: Period; onPeriod: (period: Period) => void }) {
  const t = useT();
  const range = periodRange(period, bangkokToday());
  const optIn = useOptInOverTime(range, true);
  const share = useVersionShare(true);
  const picker = (
    <Select<Period>
      size="small"
      aria-label={t("consent.overview.period")}
      value={period}
      onChange={onPeriod}
      style={{ minWidth: 220 }}
      options={PERIODS.map((p) => ({ value: p, label: t(`consent.overview.periods.${p}`) }))}
    />
  );
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <OptInChart rows={optIn.data} loading={optIn.isLoading} error={optIn.error} onRetry={() => void optIn.refetch()} extra={picker} />
      <VersionShareChart rows={share.data} loading={share.isLoading} error={share.error} onRetry={() => void share.refetch()} />
    </Space>
  );
}
