/**
 * The worker has no page around it: its words must arrive without the page having loaded the reconciliation
 * namespace. This file imports only the worker's handler (as reconcile.worker.ts does), so a message key whose
 * namespace the worker modules forgot to import would throw here instead of reaching the user as a sentence.
 */
import { describe, expect, it } from "vitest";
import { createReconcileWorkerHandler, type FromWorker } from "../../src/features/reconciliation/workerProtocol";
import { paymentsExportCsv, paymentsRowsFromRecords } from "../../src/features/reconciliation/stripeFiles";
import type { DatabaseRecord } from "../../src/features/reconciliation/types";
import { syntheticRecords } from "./dataset";

function runWorker(file: Blob, records: DatabaseRecord[]) {
  const posted: FromWorker[] = [];
  return new Promise<FromWorker[]>((resolve) => {
    const handle = createReconcileWorkerHandler((message) => {
      posted.push(message);
      // As the page does: the records come back later than the "parsed" message.
      if (message.kind === "parsed") setTimeout(() => handle({ kind: "records", records }), 0);
      if (message.kind === "done" || message.kind === "invalid" || message.kind === "error") resolve(posted);
    });
    handle({ kind: "start", file });
  });
}

describe("the reconciliation worker's words", () => {
  it("a refused file is explained in the catalogue's words", async () => {
    const posted = await runWorker(new Blob([]), []);
    const invalid = posted.find((m) => m.kind === "invalid");
    expect(invalid?.kind === "invalid" && invalid.invalid.issues[0]?.message).toBe("The file is empty (0 bytes).");
  });

  it("discrepancy details are sentences, made inside the worker", async () => {
    const records = syntheticRecords(8);
    const csv = paymentsExportCsv(paymentsRowsFromRecords(records));
    const charged = records.find((r) => r.record_type === "payment" && r.status === "succeeded" && r.stripe_charge_id)!;
    const changed = records.map((r) => (r === charged ? { ...r, amount: r.amount + 100 } : r));
    const posted = await runWorker(new Blob([csv]), changed);
    const done = posted.find((m) => m.kind === "done");
    if (done?.kind !== "done") throw new Error(`the worker did not finish: ${JSON.stringify(posted.at(-1))}`);
    const mismatch = done.result.discrepancies.find((d) => d.kind === "amount_mismatch");
    expect(mismatch?.detail).toMatch(/^Stripe charged .+, the database records .+\.$/);
  });

  it("a second file on the same worker is refused in words", async () => {
    const posted: FromWorker[] = [];
    const handle = createReconcileWorkerHandler((message) => posted.push(message));
    handle({ kind: "start", file: new Blob(["id\n"]) });
    handle({ kind: "start", file: new Blob(["id\n"]) });
    expect(posted[0]).toEqual({ kind: "error", name: "Error", message: "This reconciliation worker is already reading a file" });
  });
});
