import type { DataProvider } from "@refinedev/core";
import { t } from "../i18n/provider";
import type { ConsoleClient } from "../lib/database";
import type { AccessTokenSource } from "./supabaseClient";

/** The DataProvider methods Refine marks optional, which the lazy provider passes on when the real one has them. */
type OptionalMethod = "getMany" | "createMany" | "updateMany" | "deleteMany" | "custom";

interface LoadedBackend {
  client: ConsoleClient;
  dataProvider: DataProvider;
}

/**
 * The console's one supabase-js client and its Refine dataProvider, created on first use. supabase-js (with
 * its auth, storage and realtime modules) is a large download the sign-in page never needs, so it loads in its
 * own chunk when the first request is made rather than with the first page.
 */
export function createLazyBackend(supabaseUrl: string, supabaseAnonKey: string, getAccessToken: AccessTokenSource) {
  let loading: Promise<LoadedBackend> | null = null;
  const load = (): Promise<LoadedBackend> => {
    loading ??= Promise.all([import("./supabaseClient"), import("./dataProvider")])
      .then(([clientModule, dataProviderModule]) => {
        const client = clientModule.createConsoleSupabaseClient(supabaseUrl, supabaseAnonKey, getAccessToken);
        return { client, dataProvider: dataProviderModule.createDataProvider(client) };
      })
      .catch((cause: unknown) => {
        loading = null; // a failed chunk download (e.g. offline) may be retried
        throw cause;
      });
    return loading;
  };

  const provider = async () => (await load()).dataProvider;
  /** A method Refine's DataProvider may lack: passed on when the real provider has it, an error naming it if not. */
  const optional = <M extends OptionalMethod>(method: M) =>
    (async (params: unknown) => {
      const dp = await provider();
      const call = dp[method] as ((params: unknown) => unknown) | undefined;
      if (!call) throw new Error(t("common.errors.unsupported", { method }));
      return call.call(dp, params);
    }) as NonNullable<DataProvider[M]>;

  const dataProvider: DataProvider = {
    getApiUrl: () => `${supabaseUrl}/rest/v1`,
    getList: async (params) => (await provider()).getList(params),
    getOne: async (params) => (await provider()).getOne(params),
    getMany: optional("getMany"),
    create: async (params) => (await provider()).create(params),
    createMany: optional("createMany"),
    update: async (params) => (await provider()).update(params),
    updateMany: optional("updateMany"),
    deleteOne: async (params) => (await provider()).deleteOne(params),
    deleteMany: optional("deleteMany"),
    custom: optional("custom"),
  };

  return {
    dataProvider,
    /** The shared client, for RPCs and functions (`supabase.rpc`, `supabase.functions.invoke`). */
    getClient: async () => (await load()).client,
  };
}
export type LazyBackend = ReturnType<typeof createLazyBackend>;
