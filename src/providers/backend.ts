import type { DataProvider } from "@refinedev/core";
import type { ConsoleClient } from "../lib/database";
import type { AccessTokenSource } from "./supabaseClient";

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
  const missing = (method: string): never => {
    throw new Error(`The data provider does not support ${method}`);
  };

  const dataProvider: DataProvider = {
    getApiUrl: () => `${supabaseUrl}/rest/v1`,
    getList: async (params) => (await provider()).getList(params),
    getOne: async (params) => (await provider()).getOne(params),
    getMany: async (params) => {
      const dp = await provider();
      return dp.getMany ? dp.getMany(params) : missing("getMany");
    },
    create: async (params) => (await provider()).create(params),
    createMany: async (params) => {
      const dp = await provider();
      return dp.createMany ? dp.createMany(params) : missing("createMany");
    },
    update: async (params) => (await provider()).update(params),
    updateMany: async (params) => {
      const dp = await provider();
      return dp.updateMany ? dp.updateMany(params) : missing("updateMany");
    },
    deleteOne: async (params) => (await provider()).deleteOne(params),
    deleteMany: async (params) => {
      const dp = await provider();
      return dp.deleteMany ? dp.deleteMany(params) : missing("deleteMany");
    },
    custom: async (params) => {
      const dp = await provider();
      return dp.custom ? dp.custom(params) : missing("custom");
    },
  };

  return {
    dataProvider,
    /** The shared client, for RPCs and functions (`supabase.rpc`, `supabase.functions.invoke`). */
    getClient: async () => (await load()).client,
  };
}
export type LazyBackend = ReturnType<typeof createLazyBackend>;
