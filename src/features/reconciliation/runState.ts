/** What the Reconcile tab shows: nothing yet, a run in progress, a refused file, a failure, or a result and its save. */
import type { SavedRun } from "./api";
import { DISCREPANCY_KINDS, type FileKind, type InvalidFile, type ParseProgress, type ReconciliationResult, type RunSource } from "./types";

export type SaveState = { state: "saving" } | { state: "saved"; run: SavedRun } | { state: "failed"; message: string };

export type RunState =
  | { status: "idle" }
  | {
      status: "running";
      label: string;
      fileKind: FileKind | null;
      progress: ParseProgress | null;
      /** What is being waited for when it is not the file being read (the pull, the database records). */
      step: string | null;
      cancel: () => void;
    }
  | { status: "invalid"; fileName: string; invalid: InvalidFile }
  | { status: "failed"; label: string; message: string }
  | DoneRun;

export interface DoneRun {
  status: "done";
  source: RunSource;
  fileName: string | null;
  sha256: string | null;
  rows: number;
  result: ReconciliationResult;
  save: SaveState;
}

export function isAbort(err: unknown): boolean {
  return (err as { name?: string })?.name === "AbortError";
}

export function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 12) : "—";
}

export function totalDiscrepancies(counts: Record<string, number>): number {
  return DISCREPANCY_KINDS.reduce((n, k) => n + (counts[k] ?? 0), 0);
}
