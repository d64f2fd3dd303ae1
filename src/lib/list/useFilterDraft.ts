/**
 * The filter bar's draft: what the user is editing, applied to the list (the URL) at once for pickers and after a
 * pause for typing. Input the list cannot use (an inverted date range, "ten" credits) is not applied: `error` says
 * why, in words naming the field, and the list keeps showing the last good filters.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { FilterInputError } from "./filters";

export const TYPING_DEBOUNCE_MS = 350;

export interface FilterDraft<F> {
  draft: F;
  /** Why the draft was not applied, or null. */
  error: string | null;
  /** Edit without applying (a half-typed code that is not a filter yet). */
  edit(patch: Partial<F>): void;
  /** Edit and apply now (selects, date pickers, checkboxes). */
  update(patch: Partial<F>): void;
  /** Edit now, apply after a pause in typing (search boxes, numbers). */
  updateLater(patch: Partial<F>): void;
  /** Apply the draft as it stands (Enter in a text box). */
  applyDraft(): void;
  /** Back to the empty filters, applied. */
  clear(): void;
  /** Drops a pending typed change (before leaving the page, so it cannot rewrite the URL afterwards). */
  cancelPending(): void;
}

export function useFilterDraft<F>({
  applied,
  empty,
  validate,
  onApply,
  normalise = (filters) => filters,
  debounceMs = TYPING_DEBOUNCE_MS,
}: {
  applied: F;
  empty: F;
  /** Throws a FilterInputError for filters the list cannot apply. */
  validate: (filters: F) => void;
  onApply: (filters: F) => void;
  /**
   * The filters as the URL will give them back (trimmed search, upper-case country): an applied draft that only
   * differs by those is the same filter, so the box keeps what the user is typing ("john " on the way to "john smith").
   */
  normalise?: (filters: F) => F;
  debounceMs?: number;
}): FilterDraft<F> {
  const [draft, setDraft] = useState<F>(applied);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Keep the bar in step when the URL changes under it (back/forward, a shared link), not after our own applies.
  const appliedKey = JSON.stringify(applied);
  const lastApplied = useRef(appliedKey);
  useEffect(() => {
    if (appliedKey !== lastApplied.current) {
      lastApplied.current = appliedKey;
      setDraft(applied);
    }
  }, [appliedKey, applied]);

  const cancelPending = useCallback(() => {
    if (pending.current) clearTimeout(pending.current);
    pending.current = null;
  }, []);
  useEffect(() => cancelPending, [cancelPending]);

  const apply = (next: F) => {
    try {
      validate(next);
    } catch (cause) {
      if (cause instanceof FilterInputError) {
        setError(cause.message);
        return;
      }
      throw cause;
    }
    setError(null);
    const key = JSON.stringify(normalise(next));
    if (key === lastApplied.current) return;
    lastApplied.current = key;
    onApply(next);
  };

  return {
    draft,
    error,
    edit(patch) {
      setDraft({ ...draft, ...patch });
    },
    update(patch) {
      cancelPending();
      const next = { ...draft, ...patch };
      setDraft(next);
      apply(next);
    },
    updateLater(patch) {
      const next = { ...draft, ...patch };
      setDraft(next);
      cancelPending();
      pending.current = setTimeout(() => {
        pending.current = null;
        apply(next);
      }, debounceMs);
    },
    applyDraft() {
      cancelPending();
      apply(draft);
    },
    clear() {
      cancelPending();
      setDraft(empty);
      apply(empty);
    },
    cancelPending,
  };
}

/** The filters to query with: the built filters, or none of the bar's when the URL holds a combination it refuses. */
export function filtersOrNone<F, R>(build: (filters: F) => R[], filters: F): R[] {
  try {
    return build(filters);
  } catch (cause) {
    if (cause instanceof FilterInputError) return [];
    throw cause;
  }
}
