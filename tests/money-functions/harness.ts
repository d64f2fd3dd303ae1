/**
 * The real embedded server (in-memory PGlite, all migrations, a small demo seed) with its local Stripe sandbox,
 * driven over HTTP exactly as the console does: staff tokens, /rest/v1/rpc for the refund workflow, and
 * /functions/v1 for the money functions. Every function answer is kept so a test can prove no secret leaked.
 */
import Stripe from "stripe";
import type { Engine } from "../../server/db/engine.ts";
import { openTestEngine } from "../helpers/db.ts";
import type { StoredRefund } from "../db/refunds-fixture.ts";
import type { Tables } from "../../src/lib/database.types.ts";
import { bootstrapSupabaseRoles } from "../../server/db/migrate.ts";
import { generateSecret, issueStaffToken } from "../../server/auth/jwt.ts";
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from "../../server/index.ts";
import { DEMO_STAFF, type StaffRole } from "../../server/seed/staff.ts";
import type { StripeSandbox } from "../../server/stripe-sandbox/index.ts";
import { getFunctionEnv } from "../../supabase/functions/_shared/env.ts";

export interface CapturedResponse { url: string; status: number; headers: string; body: string }

export interface MoneyHarness {
  server: EmbeddedServer;
  engine: Engine;
  sandbox: StripeSandbox;
  /** The SDK pointed at the sandbox, as an operator acting behind the console's back. */
  stripe: Stripe;
  token(role: StaffRole | "finance2"): string;
  /** POST /rest/v1/rpc/<fn> as a token; throws with the error body on failure. */
  rpc<T>(fn: string, args: Record<string, unknown>, token: string): Promise<T>;
  /** POST /functions/v1/<name>; the answer is captured. */
  callFunction(name: string, init: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: Record<string, unknown> }>;
  captured: CapturedResponse[];
  /** A succeeded payment with a Stripe charge, nothing refunded and no refund request yet (each only once). */
  freshPayment(): Promise<FreshPayment>;
  /** A refund requested by finance at or under the threshold: approved at once. */
  approvedRefund(payment: FreshPayment, amount?: number): Promise<RefundRow>;
  refund(id: string): Promise<StoredRefund>;
  paymentRefunded(paymentId: string): Promise<number>;
  count(sql: string, params?: unknown[]): Promise<number>;
  until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FreshPayment { id: string; amount: number; currency: string; threshold: number; paymentIntentId: string; chargeId: string }
/** A refund as the API answers it (`request_refund` over HTTP: JSON). */
export type RefundRow = Tables<"refunds">;

export async function startMoneyHarness(options: Partial<EmbeddedServerOptions> = {}): Promise<MoneyHarness> {
  const engine = await openTestEngine();
  await bootstrapSupabaseRoles(engine);
  const jwtSecret = generateSecret();
  const server = await startEmbeddedServer({
    engine, port: 0, jwtSecret, demoSignIn: false, schemaCheckIntervalMs: 0, demoCustomers: 30, stripe: "sandbox",
    ...options,
    stripeSandboxOptions: { webhookRetryDelayMs: 20, ...options.stripeSandboxOptions },
  });
  const sandbox = server.stripeSandbox;
  if (!sandbox) throw new Error("the embedded server did not start the Stripe sandbox");
  const stripe = new Stripe("sk_test_harness_operator", { host: sandbox.host, port: sandbox.port, protocol: sandbox.protocol, maxNetworkRetries: 0 });

  const tokens = new Map<string, string>();
  const token = (role: StaffRole | "finance2"): string => {
    const cached = tokens.get(role);
    if (cached) return cached;
    const member = role === "finance2"
      ? DEMO_STAFF.filter((s) => s.roles.includes("finance"))[1]
      : DEMO_STAFF.find((s) => s.roles.includes(role));
    if (!member) throw new Error(`no demo staff member for ${role}`);
    const issued = issueStaffToken(member, jwtSecret).token;
    tokens.set(role, issued);
    return issued;
  };

  const rpc = async <T>(fn: string, args: Record<string, unknown>, bearer: string): Promise<T> => {
    const res = await fetch(`${server.url}/rest/v1/rpc/${fn}`, {
      method: "POST",
      headers: { apikey: server.anonKey, Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
      body: JSON.stringify(args),
    });
    const text = await res.text();
    if (!res.ok) throw Object.assign(new Error(`${fn} → ${res.status} ${text}`), { status: res.status, body: text });
    return (text ? JSON.parse(text) : null) as T;
  };

  const captured: CapturedResponse[] = [];
  const callFunction: MoneyHarness["callFunction"] = async (name, init) => {
    const headers: Record<string, string> = { apikey: server.anonKey, ...init.headers };
    if (init.token !== null && init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
    if (init.rawBody === undefined) headers["Content-Type"] = "application/json";
    const url = `${server.url}/functions/v1/${name}`;
    const res = await fetch(url, { method: "POST", headers, body: init.rawBody ?? JSON.stringify(init.body ?? {}) });
    const body = await res.text();
    const headerLines: string[] = [];
    res.headers.forEach((value, key) => headerLines.push(`${key}: ${value}`));
    const headerText = headerLines.join("\n");
    captured.push({ url, status: res.status, headers: headerText, body });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      parsed = { raw: body };
    }
    return { status: res.status, body: parsed };
  };

  const used = new Set<string>();
  const freshPayment = async (): Promise<FreshPayment> => {
    const { rows } = await engine.query<{ id: string; amount: string; currency: string; threshold: string; pi: string; ch: string }>(`
      select p.id, p.amount, p.currency, t.second_approval_above as threshold, s.stripe_payment_intent_id as pi, s.stripe_charge_id as ch
        from public.payments p
        join public.payment_stripe_ids s on s.payment_id = p.id
        join public.refund_approval_thresholds t on t.currency = p.currency
       where p.status = 'succeeded' and s.stripe_charge_id is not null and s.stripe_payment_intent_id is not null
         and p.amount_refunded = 0 and p.amount >= 200
         and not exists (select 1 from public.refunds r where r.payment_id = p.id)
       order by p.created_at desc, p.id`);
    const row = rows.find((r) => !used.has(r.id));
    if (!row) throw new Error("no fresh refundable payment left in the seed");
    used.add(row.id);
    return { id: row.id, amount: Number(row.amount), currency: row.currency, threshold: Number(row.threshold), paymentIntentId: row.pi, chargeId: row.ch };
  };

  let keys = 0;
  const approvedRefund = async (payment: FreshPayment, amount?: number): Promise<RefundRow> => {
    const value = amount ?? Math.min(payment.amount, payment.threshold, Math.max(100, Math.floor(payment.amount / 2)));
    const row = await rpc<RefundRow>("request_refund", {
      p_payment_id: payment.id, p_amount: value, p_currency: payment.currency, p_reason: "requested_by_customer",
      p_note: "Customer asked for a refund (test)", p_idempotency_key: `money-functions-test-${Date.now()}-${++keys}`,
    }, token("finance"));
    if (row.status !== "approved") throw new Error(`expected an approved refund, got ${row.status}`);
    return row;
  };

  const refund = async (id: string): Promise<StoredRefund> => {
    const { rows } = await engine.query<StoredRefund>("select * from public.refunds where id = $1", [id]);
    if (!rows[0]) throw new Error(`no refund ${id}`);
    return rows[0];
  };
  const paymentRefunded = async (paymentId: string): Promise<number> => {
    const { rows } = await engine.query<{ amount_refunded: string }>("select amount_refunded from public.payments where id = $1", [paymentId]);
    return Number(rows[0]?.amount_refunded);
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const { rows } = await engine.query<{ n: string }>(`select count(*) as n from (${sql}) q`, params);
    return Number(rows[0]?.n);
  };
  const until: MoneyHarness["until"] = async (condition, what, timeoutMs = 8_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  return {
    server, engine, sandbox, stripe, token, rpc, callFunction, captured, freshPayment, approvedRefund, refund, paymentRefunded, count, until,
    async close() {
      await server.close();
      await engine.close();
    },
  };
}

/** The secrets the functions hold: the sandbox's placeholder key and the webhook signing secret. */
export function functionSecrets(): string[] {
  return [getFunctionEnv("STRIPE_SECRET_KEY"), getFunctionEnv("STRIPE_WEBHOOK_SECRET")].filter((s): s is string => !!s);
}
