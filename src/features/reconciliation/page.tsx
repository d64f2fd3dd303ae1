/**
 * /reconciliation — finance matches Stripe's records against the database: upload an itemized balance report or
 * a Dashboard payments export (read, validated and matched in a Web Worker, with progress and cancel), or pull
 * balance transactions for a date range from Stripe. Each finished run is saved (who, when, file name, SHA-256,
 * counts, totals, discrepancies) so reconciliations are auditable; the auditor reads the saved runs.
 *
 * The Reconcile tab is ReconcilePanel.tsx (its run: useReconcileRun.ts, RunView.tsx); Saved runs is SavedRuns.tsx.
 */
import { useCan } from "@refinedev/core";
import { Tabs } from "antd";
import { useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import "../../i18n/messages/en/reconciliation";
import type { ReconcileWorkerLike } from "./client";
import { ReconcilePanel } from "./ReconcilePanel";
import { RunDetail, RunsList } from "./SavedRuns";

/** Test seam: jsdom has no Worker; the client falls back to an in-thread worker on its own. */
export interface ReconciliationPageProps {
  createWorker?: () => ReconcileWorkerLike;
}

export default function ReconciliationPage({ createWorker }: ReconciliationPageProps = {}) {
  const t = useT();
  const { data: canRun } = useCan({ resource: "reconciliation", action: "create" });
  const [params, setParams] = useSearchParams();
  const mayRun = canRun?.can === true;
  const asked = params.get("tab");
  const tab = asked === "runs" || (asked === "reconcile" && mayRun) ? asked : mayRun ? "reconcile" : "runs";
  const runId = params.get("run");
  const setParam = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };
  const openRun = (id: string) => setParam({ tab: "runs", run: id });
  const items = [
    ...(mayRun ? [{ key: "reconcile", label: t("reconciliation.tabs.reconcile"), children: <ReconcilePanel createWorker={createWorker} onOpenRun={openRun} /> }] : []),
    {
      key: "runs",
      label: t("reconciliation.tabs.runs"),
      children: runId ? <RunDetail id={runId} onBack={() => setParam({ run: null })} /> : <RunsList onOpen={openRun} />,
    },
  ];
  return (
    <PageShell title={t("reconciliation.title")}>
      <Tabs activeKey={tab} onChange={(key) => setParam({ tab: key, run: null })} items={items} destroyOnHidden={false} />
    </PageShell>
  );
}
