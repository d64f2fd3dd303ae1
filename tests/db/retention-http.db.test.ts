/**
 * Retention through HTTP, as the screens will read and call it (supabase-js against the embedded server on the demo
 * seed): the status view, the backlog history, holds, and the DPO's dry run and purge with their refusals.
 */
import { describe, expect, it } from "vitest";
import { startDemoServer } from "../helpers/server.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const demo = openBeforeAll(() => startDemoServer({ demoCustomers: 60 }), 180_000);

describe("retention over HTTP on the demo seed", () => {
  it("dpo, admin and auditor read the status (one row per category); support and finance get none", async () => {
    for (const role of ["dpo", "admin", "auditor"] as const) {
      const { data, error } = await demo.clientAs(role).from("retention_status").select("category, state, rows_past_period");
      expect(error, role).toBeNull();
      expect(data?.map((r) => r.category), role).toEqual(["account_data", "payment_records", "generated_assets", "api_logs", "error_reports", "consent_logs"]);
    }
    for (const role of ["support", "finance"] as const) {
      const { data, error } = await demo.clientAs(role).from("retention_status").select("category");
      expect(error, role).toBeNull();
      expect(data, role).toEqual([]);
    }
  });

  it("the backlog chart reads the daily dry runs, per category, oldest first", async () => {
    const { data, error } = await demo
      .clientAs("auditor")
      .from("purge_runs")
      .select("cutoff, mode, purge_run_categories(category, rows_past_period, rows_on_hold)")
      .order("cutoff", { ascending: true });
    expect(error).toBeNull();
    expect(data?.length).toBe(14);
    expect(data?.every((r) => r.mode === "dry_run" && r.purge_run_categories.length === 6)).toBe(true);
  });

  it("the dpo reads holds (the admin does not), runs a dry run and a purge, and gets 400 for a future cut-off", async () => {
    const dpo = demo.clientAs("dpo");
    const holds = await dpo.from("legal_holds").select("id, reason, released_at");
    expect(holds.data?.length).toBe(3);
    expect((await demo.clientAs("admin").from("legal_holds").select("id")).data).toEqual([]);

    const dry = await dpo.rpc("retention_dry_run", { p_cutoff: null });
    expect(dry.error).toBeNull();
    const purge = await dpo.rpc("retention_purge", { p_cutoff: null });
    expect(purge.error).toBeNull();
    expect(purge.data.rows_purged).toBe(dry.data.rows_purged);
    expect(purge.data.certificate_sha256).toMatch(/^[0-9a-f]{64}$/);

    const future = await dpo.rpc("retention_purge", { p_cutoff: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.status).toBe(400);
    expect(future.error?.code).toBe("22023");
    const noReason = await dpo.rpc("legal_hold_place", { p_reason: "", p_review_on: "2099-01-01", p_category: "api_logs" });
    expect(noReason.status).toBe(400);
    const bySupport = await demo.clientAs("support").rpc("retention_dry_run", { p_cutoff: null });
    expect(bySupport.status).toBe(403);
  });
});
