import { useCallback } from "react";
import { useInvalidate } from "@refinedev/core";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";

/** One Refine invalidation: a resource (by its identifier, providers/resources.tsx) and which of its queries. */
export type ResourceRefresh = Parameters<ReturnType<typeof useInvalidate>>[0];

/**
 * What a feature reads again after an action, so its screens show what the database now holds (never an optimistic
 * guess): Refine's queries of the named resources and the feature's own queries under `queryKey` (its keys.ts).
 * Give a module constant: the returned function keeps its identity while the targets do.
 */
export interface RefreshTargets {
  resources: readonly ResourceRefresh[];
  queryKey: QueryKey;
}

export function useRefresh({ resources, queryKey }: RefreshTargets): () => Promise<void> {
  const invalidate = useInvalidate();
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await Promise.all([...resources.map((target) => invalidate(target)), queryClient.invalidateQueries({ queryKey })]);
  }, [invalidate, queryClient, resources, queryKey]);
}
