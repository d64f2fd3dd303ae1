import type { Discrepancy } from "../../src/features/reconciliation/types";

/** A file as the page gets it (Node's File has arrayBuffer/slice like a browser's). */
export function csvFile(content: string | Uint8Array, name = "stripe.csv"): File {
  return new File([content as BlobPart], name, { type: "text/csv" });
}

export function kindsAndIds(discrepancies: readonly Discrepancy[]): string[] {
  return discrepancies.map((d) => `${d.kind} ${d.stripe_id}`).sort();
}
