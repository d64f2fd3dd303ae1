import { QueryClient } from "@tanstack/react-query";

export function createConsoleQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
  });
}

/**
 * Drops everything cached for the previous person (rows, access decisions) when the session changes, so a
 * support agent signing in after finance never glimpses finance's cached Stripe ids. Refine's own auth
 * queries stay: it invalidates those itself around login and logout.
 */
export function clearSessionCache(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "auth" });
}
