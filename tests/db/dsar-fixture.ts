/**
 * DSAR rows for the database tests, written the way the console writes them (through the dsar_*
 * functions, as the demo DPO and support): a request support logged, requests the DPO logged, an
 * executed erasure with its processor tasks, a reply with its DPO-only payload.
 */
import type { TestDatabase } from "../helpers/db.ts";

export interface DsarFixture {
  /** Logged by support (the only one support may read). */
  supportIntakeId: string;
  /** Logged by the DPO, verified, with a drafted reply. */
  accessId: string;
  /** Logged by the DPO for the fixture's `restricted` customer, erasure executed. */
  erasureId: string;
}

async function createdId(db: TestDatabase, role: "dpo" | "support", sql: string, params: unknown[]): Promise<string> {
  const { rows } = await db.asRole(role).query<{ id: string }>(sql, params);
  return rows[0]!.id;
}

export async function insertDsarFixture(db: TestDatabase): Promise<DsarFixture> {
  const { customerIds } = db.fixture;
  const supportIntakeId = await createdId(
    db,
    "support",
    "select id from public.dsar_create_request('access', 'email', 'jane.doe@example.com', now() - interval '2 days', $1, 'Asked by email for a copy of her data')",
    [customerIds.international],
  );
  const accessId = await createdId(
    db,
    "dpo",
    "select id from public.dsar_create_request('portability', 'other', 'somsak.k@example.co.th', now() - interval '5 days', $1)",
    [customerIds.thai],
  );
  const dpo = db.asRole("dpo");
  await dpo.query("select public.dsar_verify_identity($1, 'account_signed_in')", [accessId]);
  await dpo.query("select public.dsar_record_response($1, 'en', 'Dear Somsak, your export is attached.', false)", [accessId]);
  const erasureId = await createdId(
    db,
    "dpo",
    "select id from public.dsar_create_request('erasure', 'email', 'restricted@example.net', now() - interval '1 day', $1)",
    [customerIds.restricted],
  );
  await dpo.query("select public.dsar_verify_identity($1, 'email_link')", [erasureId]);
  await dpo.query("select count(*) from public.dsar_execute_erasure($1)", [erasureId]);
  return { supportIntakeId, accessId, erasureId };
}
