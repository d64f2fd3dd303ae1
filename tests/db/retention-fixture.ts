/**
 * Retention rows for the database tests, written the way the console writes them (as the demo DPO): a legal hold and
 * a dry run (a purge_runs row with its purge_run_categories). The hold covers a date range long past, so it keeps
 * nothing the other fixtures use.
 */
import type { TestDatabase } from "../helpers/db.ts";

export async function insertRetentionFixture(db: TestDatabase): Promise<{ holdId: string; dryRunId: string }> {
  const dpo = db.asRole("dpo");
  const hold = await dpo.query<{ id: string }>(
    `select id from public.legal_hold_place('Matrix fixture: records of a settled 2019 claim', current_date + 30,
       null, 'error_reports', '2019-01-01', '2019-12-31')`,
  );
  const run = await dpo.query<{ id: string }>("select id from public.retention_dry_run()");
  return { holdId: hold.rows[0]!.id, dryRunId: run.rows[0]!.id };
}
