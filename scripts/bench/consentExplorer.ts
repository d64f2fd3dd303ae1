/**
 * The consent explorer's list request, exactly as the screen sends it: its filter state (what the URL holds) through
 * the screen's own buildConsentFilters and consentSorters, and the console's data provider (Refine's Supabase
 * provider: page of CONSENT_PAGE_SIZE, `count=exact`), captured at the fetch instead of being sent.
 */
import type { CrudFilters, CrudSort } from "@refinedev/core";
import { createClient } from "@supabase/supabase-js";
import { EVENT_SELECT } from "../../src/features/consent/types.ts";
import { createDataProvider } from "../../src/providers/dataProvider.ts";

/** The explorer's filter state, as its URL holds it (src/features/consent/state.ts). */
export interface ExplorerFilters {
  customer: string;
  purposes: string[];
  actions: string[];
  version: string;
  sources: string[];
  from: string;
  to: string;
}

/** What this file uses of the screen's modules. */
interface ExplorerModules {
  state: {
    buildConsentFilters(f: ExplorerFilters): CrudFilters;
    consentSorters(sort: unknown): CrudSort[];
    consentListState: { emptyFilters: ExplorerFilters; defaults: { sort: unknown } };
    CONSENT_PAGE_SIZE: number;
  };
  api: { CONSENT_EVENTS: string };
}

// Loaded at run time only: they reach src/lib/list, whose .tsx files the scripts' (node) typecheck does not compile.
const STATE_MODULE: string = "../../src/features/consent/state.ts";
const API_MODULE: string = "../../src/features/consent/api.ts";
async function explorerModules(): Promise<ExplorerModules> {
  return { state: (await import(STATE_MODULE)) as ExplorerModules["state"], api: (await import(API_MODULE)) as ExplorerModules["api"] };
}

/** Node 20 has no global WebSocket; nothing here opens a realtime channel. */
class RealtimeUnavailable {
  constructor() {
    throw new Error("realtime is not used by the bench");
  }
}

export interface CapturedRequest {
  relation: string;
  query: URLSearchParams;
  /** The Prefer header the provider sent (its count mode). */
  prefer: string;
}

/** The first page's request for `filters` (unset ones empty), newest first as the screen opens. */
export async function explorerRequest(filters: Partial<ExplorerFilters>): Promise<CapturedRequest> {
  const { state, api } = await explorerModules();
  const { buildConsentFilters, consentListState, consentSorters, CONSENT_PAGE_SIZE } = state;
  let captured: CapturedRequest | null = null;
  const client = createClient("http://explorer.invalid", "bench-anon-key", {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as never },
    global: {
      fetch: async (input, init) => {
        const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
        const headers = new Headers(init?.headers);
        captured = { relation: url.pathname.replace(/^\/rest\/v1\//, ""), query: url.searchParams, prefer: headers.get("prefer") ?? "" };
        return new Response("[]", { status: 200, headers: { "content-type": "application/json", "content-range": "*/0" } });
      },
    },
  });
  await createDataProvider(client as never).getList({
    resource: api.CONSENT_EVENTS,
    filters: buildConsentFilters({ ...consentListState.emptyFilters, ...filters }),
    sorters: consentSorters(consentListState.defaults.sort),
    pagination: { currentPage: 1, pageSize: CONSENT_PAGE_SIZE, mode: "server" },
    meta: { select: EVENT_SELECT },
  });
  if (!captured) throw new Error("the explorer's data provider sent no request");
  return captured;
}
