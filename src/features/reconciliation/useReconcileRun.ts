/**
 * The Reconcile tab's run: an uploaded file (read and matched in the worker) or a pull from Stripe, then the save.
 * One run at a time: a new one, Cancel or leaving the page aborts the one before.
 */
import { useQueryClient } from "@tanstack/react-query";
import type { Dayjs } from "dayjs";
import { useEffect, useRef, useState } from "react";
import { useT } from "../../i18n";
import "../../i18n/messages/en/reconciliation";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { fetchReconciliationRecords, pullFromStripe, runPayload, saveRun } from "./api";
import { reconcileFileInWorker, type ReconcileWorkerLike } from "./client";
import { reconciliationKeys } from "./keys";
import { reconcile } from "./match";
import { isAbort, type DoneRun, type RunState } from "./runState";

export function useReconcileRun(createWorker: (() => ReconcileWorkerLike) | undefined) {
  const t = useT();
  const getClient = useSupabaseClient();
  const queryClient = useQueryClient();
  const [run, setRun] = useState<RunState>({ status: "idle" });
  const controllerRef = useRef<AbortController | null>(null);
  useEffect(() => () => controllerRef.current?.abort(), []);

  const save = async (done: DoneRun) => {
    setRun({ ...done, save: { state: "saving" } });
    try {
      const client = await getClient();
      const saved = await saveRun(client, runPayload(done.result, { source: done.source, name: done.fileName, sha256: done.sha256, rows: done.rows }), done.result.discrepancies);
      setRun({ ...done, save: { state: "saved", run: saved } });
      // The saved-runs list may have been read already (it is the first tab until the role is known).
      void queryClient.invalidateQueries({ queryKey: reconciliationKeys.runs() });
    } catch (err) {
      setRun({ ...done, save: { state: "failed", message: (err as Error).message } });
    }
  };

  const startFile = async (file: File) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    const cancel = () => controller.abort();
    setRun({ status: "running", label: file.name, fileKind: null, progress: null, step: null, cancel });
    try {
      const client = await getClient();
      const outcome = await reconcileFileInWorker({
        file,
        signal: controller.signal,
        fetchRecords: (period) => fetchReconciliationRecords(client, period, true),
        onProgress: (progress) => setRun((r) => (r.status === "running" ? { ...r, progress, step: null } : r)),
        onParsed: ({ fileKind, rows }) => setRun((r) => (r.status === "running" ? { ...r, fileKind, step: t("reconciliation.progress.read", { rows }) } : r)),
        ...(createWorker ? { createWorker } : {}),
      });
      if (controller.signal.aborted) return;
      if (!outcome.ok) {
        setRun({ status: "invalid", fileName: file.name, invalid: outcome.invalid });
        return;
      }
      await save({ status: "done", source: "upload", fileName: file.name, sha256: outcome.sha256, rows: outcome.rows, result: outcome.result, save: { state: "saving" } });
    } catch (err) {
      if (isAbort(err)) setRun({ status: "idle" });
      else setRun({ status: "failed", label: file.name, message: (err as Error).message });
    }
  };

  const startPull = async (range: [Dayjs, Dayjs]) => {
    const [first, last] = range.map((day) => day.format("YYYY-MM-DD")) as [string, string];
    const from = `${first}T00:00:00.000Z`;
    const to = new Date(Date.parse(`${last}T00:00:00.000Z`) + 86_400_000).toISOString();
    const label = t("reconciliation.pull.label", { from: first, to: last });
    const controller = new AbortController();
    controllerRef.current?.abort();
    controllerRef.current = controller;
    // Cancel answers at once: the request to Stripe is aborted, and whatever is still on its way is ignored.
    const cancel = () => {
      controller.abort();
      setRun({ status: "idle" });
    };
    const step = (text: string) => setRun((r) => (r.status === "running" ? { ...r, step: text } : r));
    setRun({ status: "running", label, fileKind: null, progress: null, step: t("reconciliation.pull.pulling"), cancel });
    try {
      const client = await getClient();
      const rows = await pullFromStripe(client, from, to, controller.signal);
      if (controller.signal.aborted) return;
      step(t("reconciliation.pull.pulled", { rows: rows.length }));
      const period = { from, to };
      const records = await fetchReconciliationRecords(client, period, false);
      if (controller.signal.aborted) return;
      const result = reconcile({ kind: "stripe_api", rows }, records, { period, periodEndInclusive: false });
      await save({ status: "done", source: "pull", fileName: null, sha256: null, rows: rows.length, result, save: { state: "saving" } });
    } catch (err) {
      // Aborted by Cancel (already idle), by a newer run or by leaving the page: nothing to show.
      if (controller.signal.aborted || isAbort(err)) return;
      setRun({ status: "failed", label, message: (err as Error).message });
    }
  };

  return { run, startFile, startPull, retrySave: save };
}
