/**
 * Helpers and privileged functions, called from every role: who may, who may not, what a refusal
 * looks like (SQLSTATE + message), and that a refused call writes nothing (no row, no audit entry).
 */
import { describe, expect, it } from "vitest";
import type { StaffRole } from "../../server/seed/staff.ts";
import { createTestDatabase, demoStaffForRole, expectSqlError, refusalChecker, STAFF_ROLES } from "../helpers/db.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const db = openBeforeAll(createTestDatabase);

const staffId = (role: StaffRole): string => db.staffIds[demoStaffForRole(role).email]!;

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.engine.query<{ n: number }>(`select count(*)::int as n from (${sql}) q`, params);
  return rows[0]!.n;
}

/** Asserts that `fn` fails with `code` and leaves staff_roles, policy_versions and audit_log untouched. */
const expectRefusedWithoutEffect = refusalChecker(async () =>
  (await db.engine.query("select (select count(*) from public.audit_log) a, (select count(*) from public.staff_roles) r, (select string_agg(id::text || status, ',' order by id) from public.policy_versions) p")).rows,
);

describe("current_staff and the role helpers", () => {
  it.each(STAFF_ROLES)("current_staff() returns the signed-in %s with their roles", async (role) => {
    const member = demoStaffForRole(role);
    const { rows } = await db.asRole(role).query<{ me: unknown }>("select public.current_staff() as me");
    expect(rows[0]!.me).toEqual({
      id: staffId(role),
      email: member.email,
      display_name: member.displayName,
      clerk_user_id: member.clerkUserId,
      roles: [role],
    });
  });

  it("current_staff() is null for a token whose sub is not staff", async () => {
    const { rows } = await db.asSub("user_someCustomer").query<{ me: unknown }>("select public.current_staff() as me");
    expect(rows[0]!.me).toBeNull();
  });

  it("current_staff(), has_role and the data become unavailable once a staff member is deactivated", async () => {
    await db.engine.query("insert into public.staff_members (clerk_user_id, email, display_name, active) values ('user_formerDpo', 'former@m-factory.test', 'Former DPO', false)");
    await db.engine.query("insert into public.staff_roles (staff_member_id, role) select id, 'dpo' from public.staff_members where clerk_user_id = 'user_formerDpo'");
    const former = db.asSub("user_formerDpo");
    const { rows } = await former.query<{ me: unknown; dpo: boolean }>("select public.current_staff() as me, public.has_role('dpo') as dpo");
    expect(rows[0]).toEqual({ me: null, dpo: false });
    expect((await former.query("select * from public.customers")).rows).toHaveLength(0);
  });

  it("anon may not call current_staff()", async () => {
    const err = await expectSqlError(() => db.asAnon().query("select public.current_staff()"));
    expect(err.code).toBe("42501");
  });

  it.each(STAFF_ROLES)("has_role / has_any_role / current_staff_id answer for the %s", async (role) => {
    const others = STAFF_ROLES.filter((r) => r !== role);
    const { rows } = await db.asRole(role).query<{ mine: boolean; other: boolean; any_mine: boolean; any_other: boolean; me: string }>(
      "select public.has_role($1) as mine, public.has_role($2) as other, public.has_any_role($3) as any_mine, public.has_any_role($4) as any_other, public.current_staff_id() as me",
      [role, others[0], [others[0], role], others],
    );
    expect(rows[0]).toEqual({ mine: true, other: false, any_mine: true, any_other: false, me: staffId(role) });
  });

  it("the helpers are false / null without a token sub", async () => {
    const { rows } = await db.asSub("").query("select public.has_role('dpo') as dpo, public.current_staff_id() as me");
    expect(rows[0]).toEqual({ dpo: false, me: null });
  });
});

describe("grant_staff_role / revoke_staff_role (admin only, never own roles)", () => {
  it("an admin grants and then revokes another staff member's role, each audited with the actor", async () => {
    const admin = db.asRole("admin");
    const target = staffId("finance");
    const granted = await admin.query<{ r: { staff_member_id: string; role: string; granted_by: string } }>(
      "select public.grant_staff_role($1, 'support') as r",
      [target],
    );
    expect(granted.rows[0]!.r).toMatchObject({ staff_member_id: target, role: "support", granted_by: staffId("admin") });
    expect(await count("select 1 from public.staff_roles where staff_member_id = $1", [target])).toBe(2);
    const grantAudit = await db.engine.query<{ actor_sub: string; actor_staff_id: string; record_id: string }>(
      "select actor_sub, actor_staff_id, record_id from public.audit_log where action = 'staff_role.grant' order by id desc limit 1",
    );
    expect(grantAudit.rows[0]).toEqual({ actor_sub: "user_demoAdmin", actor_staff_id: staffId("admin"), record_id: `${target}:support` });
    expect(await count("select 1 from public.audit_log where action = 'staff_roles.insert' and record_id = $1", [`${target}:support`])).toBe(1);

    // The finance member now also sees what support sees.
    expect((await db.asRole("finance").query("select * from public.projects")).rows.length).toBeGreaterThan(0);

    await admin.query("select public.revoke_staff_role($1, 'support')", [target]);
    expect(await count("select 1 from public.staff_roles where staff_member_id = $1", [target])).toBe(1);
    expect(await count("select 1 from public.audit_log where action = 'staff_role.revoke' and record_id = $1 and actor_sub = 'user_demoAdmin'", [`${target}:support`])).toBe(1);
    expect((await db.asRole("finance").query("select * from public.projects")).rows).toHaveLength(0);
  });

  it.each(["dpo", "support", "finance", "auditor"] as const)("a %s may not grant or revoke roles", async (role) => {
    const s = db.asRole(role);
    await expectRefusedWithoutEffect(() => s.query("select public.grant_staff_role($1, 'dpo')", [staffId("support")]), "42501", /only an admin/);
    await expectRefusedWithoutEffect(() => s.query("select public.revoke_staff_role($1, 'support')", [staffId("support")]), "42501", /only an admin/);
  });

  it("an admin may not grant or revoke their own roles (separation of duties)", async () => {
    const admin = db.asRole("admin");
    await expectRefusedWithoutEffect(() => admin.query("select public.grant_staff_role($1, 'dpo')", [staffId("admin")]), "42501", /own roles/);
    await expectRefusedWithoutEffect(() => admin.query("select public.revoke_staff_role($1, 'admin')", [staffId("admin")]), "42501", /own roles/);
  });

  it("bad input gets a clear error and writes nothing", async () => {
    const admin = db.asRole("admin");
    await expectRefusedWithoutEffect(() => admin.query("select public.grant_staff_role($1, 'dpo')", [staffId("dpo")]), "23505", /already holds role dpo/);
    await expectRefusedWithoutEffect(() => admin.query("select public.revoke_staff_role($1, 'admin')", [staffId("dpo")]), "PT404", /does not hold role admin/);
    await expectRefusedWithoutEffect(
      () => admin.query("select public.grant_staff_role($1, 'dpo')", ["00000000-0000-0000-0000-000000000000"]),
      "PT404",
      /does not exist/,
    );
    await expectRefusedWithoutEffect(() => admin.query("select public.grant_staff_role(null, 'dpo')"), "22023", /required/);
    await expectRefusedWithoutEffect(() => admin.query("select public.grant_staff_role($1, 'owner')", [staffId("dpo")]), "22P02");
  });

  it("anon may not call grant_staff_role or revoke_staff_role", async () => {
    for (const fn of ["grant_staff_role", "revoke_staff_role"]) {
      await expectRefusedWithoutEffect(() => db.asAnon().query(`select public.${fn}($1, 'dpo')`, [staffId("support")]), "42501");
    }
  });

  it("nobody, not even the admin, edits staff_roles directly", async () => {
    const err = await expectSqlError(() =>
      db.asRole("admin").query("insert into public.staff_roles (staff_member_id, role) values ($1, 'dpo')", [staffId("admin")]),
    );
    expect(err.code).toBe("42501");
  });
});

describe("publish_policy_version (dpo only)", () => {
  it.each(["support", "finance", "admin", "auditor"] as const)("a %s may not publish", async (role) => {
    await expectRefusedWithoutEffect(
      () => db.asRole(role).query("select public.publish_policy_version($1)", [db.fixture.draftPolicyId]),
      "42501",
      /only the DPO/,
    );
  });

  it("anon may not publish", async () => {
    await expectRefusedWithoutEffect(() => db.asAnon().query("select public.publish_policy_version($1)", [db.fixture.draftPolicyId]), "42501");
  });

  it("the dpo may not publish by editing the row, nor edit a published version", async () => {
    const dpo = db.asRole("dpo");
    const insert = await expectSqlError(() =>
      dpo.query("insert into public.policy_versions (version, title, body_markdown, status, published_at) values ('2027-03-01', 'x', 'y', 'published', now())"),
    );
    expect(insert.code).toBe("42501");
    const statusEdit = await expectSqlError(() =>
      dpo.query("update public.policy_versions set status = 'published', published_at = now() where id = $1", [db.fixture.draftPolicyId]),
    );
    expect(statusEdit.code).toBe("42501");
    // Issue 10: editing a published version is a clear refusal (PT409 from the immutability guard), no longer an
    // update that silently matched nothing.
    await expectRefusedWithoutEffect(
      () => dpo.query("update public.policy_versions set title = 'changed' where id = $1", [db.fixture.publishedPolicyId]),
      "PT409",
      /is published and cannot be changed/,
    );
    expect(await count("select 1 from public.policy_versions where title = 'changed'")).toBe(0);
  });

  it("bad input gets a clear error and writes nothing", async () => {
    const dpo = db.asRole("dpo");
    await expectRefusedWithoutEffect(() => dpo.query("select public.publish_policy_version($1)", [db.fixture.publishedPolicyId]), "PT409", /only a draft/);
    await expectRefusedWithoutEffect(
      () => dpo.query("select public.publish_policy_version($1)", ["00000000-0000-0000-0000-000000000000"]),
      "PT404",
      /does not exist/,
    );
    await expectRefusedWithoutEffect(() => dpo.query("select public.publish_policy_version(null)"), "22023", /required/);
  });

  it("the dpo publishes a draft: the previous published version is superseded, and the publication is audited", async () => {
    const dpo = db.asRole("dpo");
    const { rows } = await dpo.query<{ v: { id: string; status: string; published_by: string } }>(
      // Issue 10: publishing names the change class (editorial here).
      "select public.publish_policy_version($1, 'editorial') as v",
      [db.fixture.draftPolicyId],
    );
    expect(rows[0]!.v).toMatchObject({ id: db.fixture.draftPolicyId, status: "published", published_by: staffId("dpo") });
    const statuses = await db.engine.query<{ id: string; status: string }>("select id, status from public.policy_versions where id in ($1, $2) order by version", [
      db.fixture.publishedPolicyId,
      db.fixture.draftPolicyId,
    ]);
    expect(statuses.rows).toEqual([
      { id: db.fixture.publishedPolicyId, status: "superseded" },
      { id: db.fixture.draftPolicyId, status: "published" },
    ]);
    expect(await count("select 1 from public.policy_versions where status = 'published'")).toBe(1);
    const audit = await db.engine.query<{ actor_sub: string; old_data: unknown }>(
      "select actor_sub, old_data from public.audit_log where action = 'policy_version.publish' and record_id = $1",
      [db.fixture.draftPolicyId],
    );
    expect(audit.rows).toEqual([{ actor_sub: "user_demoDpo", old_data: { superseded_id: db.fixture.publishedPolicyId } }]);
    // Support now reads the new version; drafts stay invisible to them.
    const seen = await db.asRole("support").query<{ id: string }>("select id from public.policy_versions where status = 'published'");
    expect(seen.rows).toEqual([{ id: db.fixture.draftPolicyId }]);
  });
});

describe("verify_audit_chain (dpo, admin, auditor)", () => {
  it.each(["dpo", "admin", "auditor"] as const)("the %s may verify the chain", async (role) => {
    const { rows } = await db.asRole(role).query<{ ok: boolean; rows_checked: number }>("select * from public.verify_audit_chain()");
    expect(rows[0]!.ok).toBe(true);
    expect(rows[0]!.rows_checked).toBe(await count("select 1 from public.audit_log"));
  });

  it.each(["support", "finance"] as const)("a %s may not verify the chain", async (role) => {
    const err = await expectSqlError(() => db.asRole(role).query("select * from public.verify_audit_chain()"));
    expect(err.code).toBe("42501");
    expect(err.message).toMatch(/only dpo, admin or auditor/);
  });

  it("anon may not verify the chain", async () => {
    const err = await expectSqlError(() => db.asAnon().query("select * from public.verify_audit_chain()"));
    expect(err.code).toBe("42501");
  });
});

describe("the audit writer is closed to every API role", () => {
  it.each([...STAFF_ROLES, "service_role"] as const)("%s may not call audit_append", async (who) => {
    const session =
      who === "service_role"
        ? {
            query: (sql: string) =>
              db.engine.transaction(async (tx) => {
                await tx.exec("set local role service_role");
                return tx.query(sql);
              }),
          }
        : db.asRole(who);
    await expectRefusedWithoutEffect(() => session.query("select public.audit_append('forged', null, null, null, null)"), "42501");
  });
});
