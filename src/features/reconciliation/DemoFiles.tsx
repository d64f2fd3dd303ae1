/**
 * The four demo files: static under /demo (the demo seed as of one day), or made from the database this console runs
 * against (the last 365 days), since a local database is seeded as of its first start.
 */
import { Alert, Button, Space, Typography } from "antd";
import { useState } from "react";
import { useT } from "../../i18n";
import "../../i18n/messages/en/reconciliation";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { fetchReconciliationRecords } from "./api";
import { downloadText } from "./components";
import { balanceReportCsv, balanceRowsFromRecords, injectIntoBalanceRows, injectIntoPaymentsRows, paymentsExportCsv, paymentsRowsFromRecords } from "./stripeFiles";

type DemoVariant = "payments-clean" | "payments-discrepancies" | "balance-clean" | "balance-discrepancies";

const DEMO_FILES: { variant: DemoVariant; href: string }[] = [
  { variant: "payments-clean", href: "/demo/stripe-payments-export-clean.csv" },
  { variant: "payments-discrepancies", href: "/demo/stripe-payments-export-discrepancies.csv" },
  { variant: "balance-clean", href: "/demo/stripe-balance-report-clean.csv" },
  { variant: "balance-discrepancies", href: "/demo/stripe-balance-report-discrepancies.csv" },
];

const DEMO_RESET_COMMAND = "npm run db:reset -- --now 2026-11-20"; // not-ui-text: a shell command

/** The static files, and the same four made from this database. */
export function DemoFiles() {
  const t = useT();
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t("reconciliation.demo.intro")} <Typography.Text code>{DEMO_RESET_COMMAND}</Typography.Text>):{" "}
        {DEMO_FILES.map((f, i) => (
          <span key={f.href}>
            {i > 0 ? " · " : ""}
            <a href={f.href} download>
              {t(`reconciliation.demo.files.${f.variant}`)}
            </a>
          </span>
        ))}
      </Typography.Paragraph>
      <DemoFromDatabase />
    </>
  );
}

function DemoFromDatabase() {
  const t = useT();
  const getClient = useSupabaseClient();
  const [busy, setBusy] = useState<DemoVariant | null>(null);
  const [error, setError] = useState<string | null>(null);
  const make = async (variant: DemoVariant) => {
    setBusy(variant);
    setError(null);
    try {
      const to = new Date();
      const from = new Date(to.getTime() - 365 * 86_400_000);
      const records = await fetchReconciliationRecords(await getClient(), { from: from.toISOString(), to: to.toISOString() }, false);
      let text: string;
      if (variant.startsWith("payments")) {
        const rows = paymentsRowsFromRecords(records);
        text = paymentsExportCsv(variant === "payments-clean" ? rows : injectIntoPaymentsRows(rows).rows);
      } else {
        const rows = balanceRowsFromRecords(records);
        text = balanceReportCsv(variant === "balance-clean" ? rows : injectIntoBalanceRows(rows, records).rows, { newline: "\r\n" });
      }
      downloadText(text, `stripe-${variant}-from-this-database.csv`);
    } catch (err) {
      setError(t("reconciliation.demo.failed", { reason: (err as Error).message }));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      <Space wrap size={4}>
        <Typography.Text type="secondary">{t("reconciliation.demo.fromDatabase")}</Typography.Text>
        {DEMO_FILES.map(({ variant }) => (
          <Button key={variant} size="small" type="link" loading={busy === variant} disabled={busy !== null && busy !== variant} onClick={() => void make(variant)}>
            {t(`reconciliation.demo.files.${variant}`)}
          </Button>
        ))}
      </Space>
      {error ? <Alert type="error" showIcon message={error} /> : null}
    </Space>
  );
}
