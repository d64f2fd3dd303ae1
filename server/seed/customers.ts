/**
 * Generates one customer and everything M-Factory holds about them, from a PRNG stream of their own
 * (seed + index), so customer #i is the same whatever the batch size. The credit timeline is simulated
 * in order, so a generation is only made when the balance covers it and the balance never goes negative.
 */
import { Random } from "./prng.ts";
import type {
  AssetRow,
  ConsentEventRow,
  CreditLedgerRow,
  CustomerBatch,
  GenerationRow,
  LedgerReason,
  LogSubject,
  PaymentRow,
  PaymentStatus,
  ProjectRow,
  RefundRow,
  SubscriptionStatus,
} from "./rows.ts";
import {
  ASPECT_RATIOS,
  CAMERA_MOVES,
  INSTRUMENTS,
  INTERNATIONAL_EMAIL_DOMAINS,
  INTERNATIONAL_REGIONS,
  MODELS,
  MOODS,
  MUSIC_GENRES,
  PLAN_PRICES,
  PROJECT_TITLES,
  REFUND_NOTES,
  RESTRICTION_REASONS,
  STUDIO_EMAIL_DOMAINS,
  THAI_EMAIL_DOMAINS,
  THAI_FAMILY_NAMES,
  THAI_GIVEN_NAMES,
  THAI_MUSIC_PROMPTS,
  THAI_NICKNAMES,
  THAI_VISUAL_PROMPTS,
  TOPICS,
  TOP_UP_PACKS,
  USER_AGENTS,
  VISUAL_STYLES,
  VISUAL_SUBJECTS,
  type Media,
  type ModelSpec,
  type Plan,
} from "./vocabulary.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface GeneratorContext {
  seed: number;
  nowMs: number;
  staff: { supportId: string; financeId: string; dpoId: string };
  /** Published/superseded policy versions, oldest first. */
  policies: Array<{ id: string; effectiveMs: number }>;
  currentPolicy: { id: string; effectiveMs: number };
  /** Terms and cookie-policy versions ever published, oldest first. */
  terms: Array<{ id: string; effectiveMs: number }>;
  cookiePolicies: Array<{ id: string; effectiveMs: number }>;
  /**
   * Customers who decline the current (re_accept) privacy policy at the prompt, and when: recorded after the batches
   * through record_policy_decline, as the customer app does (the refusal, the withdrawals and the restriction).
   */
  declines: Array<{ customerId: string; atMs: number; ip: string; userAgent: string }>;
  /** Lower-cased emails already used (kept unique across the whole run). */
  usedEmails: Set<string>;
  usedClerkIds: Set<string>;
}

/**
 * The first customers are fixed showcases so that even a small seed contains every case the console
 * has to display (deleted, restricted, refunds, each subscription status, a generation still running…).
 */
interface Showcase {
  origin?: "thai" | "international";
  regionCountry?: string;
  displayStyle?: "thai_full" | "none";
  deleted?: boolean;
  restricted?: boolean;
  subscription?: SubscriptionStatus;
  refund?: "full" | "partial";
  engagement?: Engagement;
  runningGeneration?: boolean;
  analyticsWithdrawn?: boolean;
  declinedTopUp?: boolean;
  goodwill?: boolean;
  correction?: boolean;
}

const SHOWCASES: readonly Showcase[] = [
  { origin: "thai", displayStyle: "thai_full", subscription: "active", engagement: "heavy", runningGeneration: true, goodwill: true },
  { origin: "international", regionCountry: "US", deleted: true, engagement: "regular" },
  { origin: "thai", restricted: true, engagement: "regular", subscription: "past_due", correction: true },
  { origin: "international", regionCountry: "DE", displayStyle: "none", refund: "full", engagement: "regular" },
  { origin: "international", regionCountry: "JP", refund: "partial", engagement: "regular", subscription: "canceled" },
  { origin: "international", regionCountry: "GB", subscription: "trialing", analyticsWithdrawn: true },
  { origin: "thai", subscription: "unpaid", declinedTopUp: true, engagement: "light" },
  { origin: "international", regionCountry: "SG", subscription: "incomplete" },
  { origin: "thai", displayStyle: "thai_full", engagement: "dormant" },
];

type Engagement = "dormant" | "light" | "regular" | "heavy";

const iso = (ms: number): string => new Date(Math.round(ms)).toISOString();

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

/** Lower-case ASCII for email local parts: "Müller" → "muller", "Min-jun" → "minjun". */
function asciiSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const THAI_IPV4_FIRST_OCTETS = [49, 58, 110, 115, 124, 171, 182, 183, 184, 202, 203] as const;
const OTHER_IPV4_FIRST_OCTETS = [8, 23, 34, 45, 66, 81, 89, 91, 103, 139, 146, 152, 185, 188, 213] as const;

function randomIp(rng: Random, thai: boolean): string {
  if (rng.chance(0.18)) {
    const prefix = thai ? rng.pick(["2405:9800", "2001:fb1", "2403:6200"]) : rng.pick(["2a02:c7f", "2600:1700", "2001:ee0"]);
    return `${prefix}:${rng.hex(4)}:${rng.hex(4)}::${rng.hex(3)}`.replace(/:0+([0-9a-f])/g, ":$1");
  }
  const first = thai ? rng.pick(THAI_IPV4_FIRST_OCTETS) : rng.pick(OTHER_IPV4_FIRST_OCTETS);
  return `${first}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function pickModel(rng: Random, media: Media): ModelSpec {
  return rng.weighted(MODELS.filter((m) => m.media === media).map((m) => [m, m.weight] as const));
}

function promptFor(rng: Random, media: Media, thaiPrompts: boolean): string {
  if (media === "music") {
    if (thaiPrompts) return rng.pick(THAI_MUSIC_PROMPTS);
    return `A ${rng.pick(MOODS)} ${rng.pick(MUSIC_GENRES)} song about ${rng.pick(TOPICS)}, ${rng.pick(INSTRUMENTS)} lead`;
  }
  if (media === "image") {
    if (thaiPrompts) return rng.pick(THAI_VISUAL_PROMPTS);
    return `${capitalise(rng.pick(VISUAL_SUBJECTS))}, ${rng.pick(VISUAL_STYLES)}, ${rng.pick(MOODS)} lighting`;
  }
  if (thaiPrompts) return `${rng.pick(THAI_VISUAL_PROMPTS)} แบบวิดีโอ ${rng.pick(CAMERA_MOVES)}`;
  return `${capitalise(rng.pick(VISUAL_SUBJECTS))}, ${rng.pick(CAMERA_MOVES)}, ${rng.pick(VISUAL_STYLES)}`;
}

function metadataFor(rng: Random, model: ModelSpec): Record<string, unknown> {
  const task = { kie_task_id: `task_${rng.hex(24)}` };
  if (model.media === "music") {
    return { ...task, duration_s: rng.int(95, 240), bpm: rng.int(68, 160), instrumental: rng.chance(0.3), variants: 2 };
  }
  if (model.media === "image") {
    const aspect = rng.pick(ASPECT_RATIOS);
    const [w, h] = aspect.split(":").map(Number) as [number, number];
    const long = rng.pick([1024, 1536, 2048]);
    const width = w >= h ? long : Math.round((long * w) / h);
    const height = w >= h ? Math.round((long * h) / w) : long;
    return { ...task, aspect_ratio: aspect, width, height, seed: rng.int(1, 2 ** 31 - 1) };
  }
  return { ...task, duration_s: rng.pick([5, 5, 10]), resolution: rng.pick(["720p", "1080p"]), fps: 24, aspect_ratio: rng.pick(["16:9", "9:16", "1:1"]) };
}

interface CreditEvent {
  at: number;
  /** Runs in time order against the running balance; returns ledger rows to write. */
  apply(balance: number): CreditLedgerRow[];
}

export interface GeneratedCustomer {
  logSubject: LogSubject | null;
}

/**
 * The console refund behind a refunded payment of the seeded history: requested by support, approved by
 * finance, executed by finance, succeeded in Stripe at `refundMs` (when the credits were clawed back).
 * Amounts of the history stay under every currency's second-approval threshold, so one approval.
 */
function historicalRefund(
  ctx: GeneratorContext,
  paymentId: string,
  customerId: string,
  kind: PaymentRow["kind"],
  amount: number,
  currency: string,
  paidMs: number,
  refundMs: number,
  proportionalCredits: number,
): { row: RefundRow; stripeRefundId: string } {
  const r = new Random(ctx.seed, "refund", paymentId);
  const id = r.uuid();
  const executedMs = refundMs - 2 * SECOND;
  const approvedMs = Math.max(paidMs + MINUTE, executedMs - (5 + r.int(0, 55)) * MINUTE);
  const requestedMs = Math.max(paidMs + 30 * SECOND, approvedMs - (1 + r.int(0, 20)) * HOUR);
  return {
    stripeRefundId: `re_${r.base62(24)}`,
    row: {
      id,
      payment_id: paymentId,
      customer_id: customerId,
      amount,
      currency,
      reason: "requested_by_customer",
      note: r.pick(REFUND_NOTES),
      status: "succeeded",
      approvals_needed: 0,
      requested_by: ctx.staff.supportId,
      requested_at: iso(requestedMs),
      idempotency_key: `seed-refund-${id}`,
      first_approved_by: ctx.staff.financeId,
      first_approved_at: iso(approvedMs),
      second_approved_by: null,
      second_approved_at: null,
      rejected_by: null,
      rejected_at: null,
      rejection_note: null,
      executed_by: ctx.staff.financeId,
      execution_started_at: iso(executedMs),
      execution_attempts: 1,
      stripe_status_at: iso(refundMs),
      failure_reason: null,
      clawback_credits: kind === "top_up" ? proportionalCredits : 0,
      updated_at: iso(refundMs),
    },
  };
}

/** Appends customer #index and all of their rows to `out`. */
export function generateCustomer(ctx: GeneratorContext, index: number, out: CustomerBatch): GeneratedCustomer {
  const rng = new Random(ctx.seed, "customer", index);
  const show: Showcase = SHOWCASES[index] ?? {};
  const now = ctx.nowMs;

  // ---------------------------------------------------------------- identity
  const thai = (show.origin ?? (rng.chance(0.62) ? "thai" : "international")) === "thai";
  const region = show.regionCountry
    ? INTERNATIONAL_REGIONS.find((r) => r.country === show.regionCountry) ?? INTERNATIONAL_REGIONS[0]!
    : rng.weighted(INTERNATIONAL_REGIONS.map((r) => [r, r.weight] as const));

  const customerId = rng.uuid();
  let clerkUserId = `user_${rng.base62(27)}`;
  while (ctx.usedClerkIds.has(clerkUserId)) clerkUserId = `user_${rng.base62(27)}`;
  ctx.usedClerkIds.add(clerkUserId);

  // More recent sign-ups than old ones: the service grew over its two years.
  // Showcases are established accounts, so their history (payments, refunds) has room to happen.
  const drawnAgeMs = Math.max(2 * HOUR, 730 * DAY * (1 - Math.sqrt(rng.next())));
  const ageMs = index < SHOWCASES.length ? Math.max(drawnAgeMs, 120 * DAY) : drawnAgeMs;
  const createdMs = now - ageMs;

  let displayName: string | null;
  let localCandidates: string[];
  let country: string | null;
  let locale: "en" | "th";
  let currency: string;
  if (thai) {
    const given = rng.pick(THAI_GIVEN_NAMES);
    const family = rng.pick(THAI_FAMILY_NAMES);
    const nickname = rng.pick(THAI_NICKNAMES);
    const style =
      show.displayStyle ??
      rng.weighted([
        ["thai_full", 30],
        ["thai_given", 10],
        ["roman_initial", 18],
        ["roman_full", 10],
        ["nickname", 15],
        ["none", 17],
      ] as const);
    displayName =
      style === "thai_full" ? `${given.thai} ${family.thai}`
      : style === "thai_given" ? given.thai
      : style === "roman_initial" ? `${capitalise(given.roman)} ${family.roman.charAt(0).toUpperCase()}.`
      : style === "roman_full" ? `${capitalise(given.roman)} ${capitalise(family.roman)}`
      : style === "nickname" ? nickname
      : null;
    const yy = String(rng.int(80, 105) % 100).padStart(2, "0");
    localCandidates = [
      `${given.roman}.${family.roman}`,
      `${given.roman}.${family.roman.charAt(0)}`,
      `${given.roman}${yy}`,
      `${nickname.toLowerCase()}${rng.int(1, 999)}`,
      `${given.roman}_${family.roman.slice(0, 4)}`,
    ];
    country = rng.chance(0.95) ? "TH" : rng.chance(0.5) ? rng.pick(["SG", "JP", "US", "AU"]) : null;
    locale = rng.chance(0.78) ? "th" : "en";
    currency = country === "TH" || country === null ? (rng.chance(0.93) ? "thb" : "usd") : "usd";
  } else {
    const given = rng.pick(region.given);
    const family = rng.pick(region.family);
    const style =
      show.displayStyle ??
      rng.weighted([
        ["full", 55],
        ["given", 15],
        ["handle", 10],
        ["none", 20],
      ] as const);
    displayName =
      style === "full" ? `${given} ${family}`
      : style === "given" ? given
      : style === "handle" ? `${asciiSlug(given)}.${rng.pick(["beats", "makes", "studio", "art", "sound"])}`
      : null;
    localCandidates = [
      `${asciiSlug(given)}.${asciiSlug(family)}`,
      `${asciiSlug(given).charAt(0)}${asciiSlug(family)}`,
      `${asciiSlug(given)}${rng.int(1, 99)}`,
      `${asciiSlug(family)}.${asciiSlug(given)}`,
    ];
    country = rng.chance(0.97) ? region.country : null;
    locale = rng.chance(0.03) ? "th" : "en";
    currency = country === null ? "usd" : region.currency;
  }
  const domain = rng.chance(0.05) ? rng.pick(STUDIO_EMAIL_DOMAINS) : rng.pick(thai ? THAI_EMAIL_DOMAINS : INTERNATIONAL_EMAIL_DOMAINS);
  let email = `${rng.pick(localCandidates)}@${domain}`;
  while (ctx.usedEmails.has(email)) email = email.replace("@", `${rng.int(0, 9)}@`);
  ctx.usedEmails.add(email);

  const profileImageUrl = rng.chance(0.35) ? `https://img.clerk.com/${rng.base62(48)}` : null;
  const primaryIp = randomIp(rng, thai);
  const userAgentIndex = rng.int(0, USER_AGENTS.length - 1);
  const userAgent = USER_AGENTS[userAgentIndex] as string;

  // Deletion and restriction need some history first: only accounts older than a week.
  const deleted = show.deleted ?? (ageMs > 7 * DAY && rng.chance(0.025));
  const deletedMs = deleted ? createdMs + (now - createdMs) * (0.3 + 0.65 * rng.next()) : null;
  const restricted = !deleted && (show.restricted ?? (ageMs > 7 * DAY && rng.chance(0.012)));
  const restrictedMs = restricted ? createdMs + (now - createdMs) * (0.5 + 0.45 * rng.next()) : null;
  /** The end of this customer's activity. */
  const endMs = deletedMs ?? now;
  /** Restriction (PDPA s.34) stops new processing: no projects, generations or top-ups after it. */
  const usageEndMs = restrictedMs ?? endMs;
  const updatedMs = Math.max(createdMs, restrictedMs ?? 0, deletedMs ?? 0, createdMs + (endMs - createdMs) * 0.3 * rng.next());

  out.customers.push({
    id: customerId,
    clerk_user_id: clerkUserId,
    email,
    display_name: displayName,
    profile_image_url: profileImageUrl,
    locale,
    country,
    created_at: iso(createdMs),
    updated_at: iso(updatedMs),
    deleted_at: deletedMs === null ? null : iso(deletedMs),
    processing_restricted: restricted,
    restricted_at: restrictedMs === null ? null : iso(restrictedMs),
    restriction_reason: restricted ? rng.pick(RESTRICTION_REASONS) : null,
  });

  // ---------------------------------------------------------------- consents
  // Draws the earlier seeds made come from `rng` in the same order (the rest of the customer stays as it was); the
  // cases added with the policy documents (banner, expiry, invalidation, late and tied events, declines) draw
  // from their own stream.
  const crng = new Random(ctx.seed, "consent", index);
  const consent = (
    purpose: ConsentEventRow["purpose"],
    action: ConsentEventRow["action"],
    atMs: number,
    source: ConsentEventRow["source"],
    policyVersionId: string | null = null,
    recordedBy: string | null = null,
    method: ConsentEventRow["collection_method"] = null,
  ): void => {
    const fromCustomer = source === "signup" || source === "settings" || source === "reprompt" || source === "banner";
    out.consent_events.push({
      customer_id: customerId,
      purpose,
      action,
      policy_version_id: policyVersionId,
      // The database records the customer's locale where that text exists in Thai, English otherwise.
      language: null,
      source,
      collection_method: method,
      ip: fromCustomer ? primaryIp : null,
      user_agent: fromCustomer ? userAgent : null,
      recorded_by: recordedBy,
      occurred_at: iso(atMs),
    });
  };
  const inForce = (versions: Array<{ id: string; effectiveMs: number }>, atMs: number) =>
    [...versions].reverse().find((p) => p.effectiveMs <= atMs) ?? versions[0];
  const policyAtSignup = inForce(ctx.policies, createdMs);
  const signupMs = createdMs + 2 * SECOND;
  consent("terms", "granted", signupMs, "signup", inForce(ctx.terms, createdMs)?.id ?? null);
  consent("privacy_policy", "granted", signupMs, "signup", policyAtSignup?.id ?? null);
  const laterMs = (): number => signupMs + (endMs - signupMs) * (0.2 + 0.79 * rng.next());
  const analyticsAtSignup = show.analyticsWithdrawn ?? rng.chance(0.58);
  if (analyticsAtSignup) {
    consent("analytics", "granted", signupMs, "signup");
    if (show.analyticsWithdrawn || rng.chance(0.15)) {
      const withdrawnMs = laterMs();
      consent("analytics", "withdrawn", withdrawnMs, "settings");
      // A banner choice made an hour before the withdrawal reaches the server after it (stored later, earlier
      // time): the withdrawal stays the current state.
      if (crng.chance(0.3) && withdrawnMs - HOUR > signupMs) consent("analytics", "granted", withdrawnMs - HOUR, "banner");
    } else if (crng.chance(0.04)) {
      // Collected through a banner build that pre-ticked the box: the DPO invalidates it.
      consent("analytics", "invalidated", signupMs + (endMs - signupMs) * (0.1 + 0.8 * crng.next()), "console", null, ctx.staff.dpoId);
    }
  } else if (rng.chance(0.1)) {
    consent("analytics", "granted", laterMs(), "settings");
  } else if (crng.chance(0.3)) {
    consent("analytics", "refused", signupMs + 5 * SECOND, "banner");
  }
  if (rng.chance(0.3)) {
    consent("marketing_email", "granted", signupMs, "signup");
    const r = rng.next();
    if (r < 0.15) {
      const atMs = laterMs();
      // A double submission: granted and withdrawn at the same instant; the one stored second (withdrawn) wins.
      if (crng.chance(0.6)) consent("marketing_email", "granted", atMs, "settings");
      consent("marketing_email", "withdrawn", atMs, "settings");
    } else if (r < 0.19) consent("marketing_email", "withdrawn", laterMs(), "console", null, ctx.staff.dpoId);
    else if (r < 0.2) consent("marketing_email", "withdrawn", laterMs(), "dsar", null, ctx.staff.dpoId);
    else if (crng.chance(0.08) && signupMs + 365 * DAY < endMs) {
      // Marketing consent lapses after a year without a renewed opt-in (the DPO's yearly review).
      consent("marketing_email", "expired", signupMs + 365 * DAY, "console", null, ctx.staff.dpoId, "system");
    }
  }
  // The cookie banner: at sign-up once the cookie policy exists, else at the first visit after it took effect.
  const cookieFrom = ctx.cookiePolicies[0];
  if (cookieFrom) {
    const bannerMs = Math.max(signupMs + SECOND, cookieFrom.effectiveMs + crng.next() * 30 * DAY);
    if (bannerMs < endMs) consent("cookie_policy", "granted", bannerMs, "banner", inForce(ctx.cookiePolicies, bannerMs)?.id ?? null);
  }
  // Customers who signed up under an older policy re-accept the current one at their next sign-in; of those who
  // have not, some decline it.
  if (policyAtSignup && policyAtSignup.id !== ctx.currentPolicy.id) {
    if (rng.chance(0.9)) {
      const repromptMs = ctx.currentPolicy.effectiveMs + rng.next() * 60 * DAY;
      if (repromptMs < endMs) consent("privacy_policy", "re_accepted", repromptMs, "reprompt", ctx.currentPolicy.id);
    } else if (crng.chance(0.5)) {
      const declineMs = ctx.currentPolicy.effectiveMs + crng.next() * 60 * DAY;
      if (declineMs < endMs && deletedMs === null) ctx.declines.push({ customerId, atMs: declineMs, ip: primaryIp, userAgent });
    }
  }

  // ---------------------------------------------------------------- money
  const engagement: Engagement =
    show.engagement ??
    rng.weighted([
      ["dormant", 28],
      ["light", 42],
      ["regular", 22],
      ["heavy", 8],
    ] as const);
  const subscribeChance = { dormant: 0.02, light: 0.08, regular: 0.3, heavy: 0.65 }[engagement];
  const creditEvents: CreditEvent[] = [];
  /** Events scheduled while the timeline runs (see below). */
  const later: CreditEvent[] = [];
  const ledger = (
    atMs: number,
    amount: number,
    reason: LedgerReason,
    extra: Partial<Pick<CreditLedgerRow, "note" | "generation_id" | "payment_id" | "actor_staff_id" | "idempotency_key">> = {},
  ): CreditLedgerRow => ({
    customer_id: customerId,
    amount,
    reason,
    note: extra.note ?? null,
    generation_id: extra.generation_id ?? null,
    payment_id: extra.payment_id ?? null,
    actor_staff_id: extra.actor_staff_id ?? null,
    idempotency_key: extra.idempotency_key ?? null,
    created_at: iso(atMs),
  });

  let firstStripeContactMs: number | null = null;
  const noteStripeContact = (ms: number): void => {
    firstStripeContactMs = firstStripeContactMs === null ? ms : Math.min(firstStripeContactMs, ms);
  };

  const addPayment = (p: {
    atMs: number;
    kind: PaymentRow["kind"];
    plan: Plan | null;
    subscriptionId: string | null;
    amount: number;
    credits: number;
    status: PaymentStatus;
    refund?: "full" | "partial" | null;
  }): void => {
    const paymentId = rng.uuid();
    const succeeded = p.status === "succeeded";
    // Refunds happen days after the charge, so only charges older than two days can have one.
    const refundKind = succeeded && p.atMs < endMs - 2 * DAY ? (p.refund !== undefined ? p.refund : rng.chance(0.025) ? (rng.chance(0.6) ? "full" : "partial") : null) : null;
    const refunded = refundKind === "full" ? p.amount : refundKind === "partial" ? Math.max(1, Math.round(p.amount * (0.2 + 0.5 * rng.next()))) : 0;
    const paymentIntent = `pi_${rng.base62(24)}`;
    out.payments.push({
      id: paymentId,
      customer_id: customerId,
      subscription_id: p.subscriptionId,
      kind: p.kind,
      plan: p.plan,
      amount: p.amount,
      amount_refunded: refunded,
      currency,
      status: p.status,
      credits_granted: succeeded ? p.credits : 0,
      created_at: iso(p.atMs),
    });
    out.payment_stripe_ids.push({
      payment_id: paymentId,
      stripe_payment_intent_id: paymentIntent,
      stripe_charge_id: succeeded ? `ch_${rng.base62(24)}` : null,
    });
    noteStripeContact(p.atMs);
    if (!succeeded) return;
    creditEvents.push({
      at: p.atMs + 3 * SECOND,
      apply: () => [
        ledger(p.atMs + 3 * SECOND, p.credits, p.kind === "top_up" ? "purchase" : "subscription_grant", {
          payment_id: paymentId,
          idempotency_key: `stripe:${paymentIntent}`,
        }),
      ],
    });
    if (refunded > 0) {
      const refundMs = Math.min(endMs - MINUTE, p.atMs + (1 + rng.next() * 9) * DAY);
      const proportional = Math.round((p.credits * refunded) / p.amount);
      // The console refund behind it, from a stream of its own so the rest of the customer stays as it was.
      const refund = historicalRefund(ctx, paymentId, customerId, p.kind, refunded, currency, p.atMs, refundMs, proportional);
      out.refunds.push(refund.row);
      out.refund_stripe_ids.push({ refund_id: refund.row.id, stripe_refund_id: refund.stripeRefundId });
      creditEvents.push({
        at: refundMs,
        // Clawback only what is left: the balance must never go negative.
        apply: (balance) => {
          const clawback = Math.min(proportional, balance);
          return clawback > 0
            ? [
                ledger(refundMs, -clawback, "refund_clawback", {
                  payment_id: paymentId,
                  note: `Refund of ${refunded} ${currency}`,
                  // Top-up clawbacks are the refund's own (linked by this key after the insert).
                  idempotency_key: p.kind === "top_up" ? `refund_clawback:${refund.row.id}` : null,
                }),
              ]
            : [];
        },
      });
    }
  };

  const subscriptionStatus: SubscriptionStatus | null =
    deleted ? (rng.chance(subscribeChance) ? "canceled" : null)
    : show.subscription ??
      (rng.chance(subscribeChance)
        ? rng.weighted([
            ["active", 62],
            ["canceled", 20],
            ["past_due", 6],
            ["trialing", 6],
            ["unpaid", 3],
            ["incomplete", 3],
          ] as const)
        : null);
  if (subscriptionStatus !== null) {
    const plan = rng.weighted([
      ["creator", 55],
      ["pro", 35],
      ["studio", 10],
    ] as const);
    const price = PLAN_PRICES[plan];
    const amount = price.prices[currency] ?? (price.prices.usd as number);
    const subscriptionId = rng.uuid();
    let startMs: number;
    let periodEndMs: number | null = null;
    let canceledMs: number | null = null;
    if (subscriptionStatus === "trialing") {
      startMs = Math.max(createdMs + HOUR, endMs - rng.int(1, 6) * DAY);
      periodEndMs = startMs + 7 * DAY;
    } else if (subscriptionStatus === "incomplete") {
      startMs = createdMs + (endMs - createdMs) * (0.5 + 0.5 * rng.next());
      addPayment({ atMs: startMs + MINUTE, kind: "subscription", plan, subscriptionId, amount, credits: price.credits, status: rng.pick(["requires_payment_method", "requires_action"] as const) });
    } else {
      startMs = createdMs + Math.min(60 * DAY, (endMs - createdMs) * 0.5) * rng.next();
      let stopMs = endMs;
      if (subscriptionStatus === "canceled") {
        canceledMs = Math.min(endMs - MINUTE, addMonths(startMs, 1) + (endMs - addMonths(startMs, 1)) * rng.next());
        canceledMs = Math.max(canceledMs, startMs + HOUR);
        stopMs = canceledMs;
      }
      const periods: number[] = [];
      for (let k = 0; addMonths(startMs, k) < stopMs; k++) periods.push(addMonths(startMs, k));
      const failing = subscriptionStatus === "past_due" ? 1 : subscriptionStatus === "unpaid" ? Math.min(2, periods.length) : 0;
      // The showcase refunds land on an ordinary payment; refunds on subscriptions are rare.
      periods.forEach((periodMs, k) => {
        const failed = k >= periods.length - failing;
        addPayment({
          atMs: periodMs + 30 * SECOND,
          kind: "subscription",
          plan,
          subscriptionId,
          amount,
          credits: price.credits,
          status: failed ? "requires_payment_method" : "succeeded",
          refund: k === 0 && show.refund ? show.refund : k === 0 ? undefined : rng.chance(0.01) ? "partial" : null,
        });
      });
      const last = periods[periods.length - 1] ?? startMs;
      periodEndMs = addMonths(last, 1);
    }
    out.subscriptions.push({
      id: subscriptionId,
      customer_id: customerId,
      plan,
      status: subscriptionStatus,
      current_period_end: periodEndMs === null ? null : iso(periodEndMs),
      created_at: iso(startMs),
      canceled_at: canceledMs === null ? null : iso(canceledMs),
    });
    out.subscription_stripe_ids.push({ subscription_id: subscriptionId, stripe_subscription_id: `sub_${rng.base62(24)}` });
    noteStripeContact(startMs);
  }

  const topUpChance = { dormant: 0.03, light: 0.2, regular: 0.45, heavy: 0.6 }[engagement];
  const topUpMax = { dormant: 1, light: 2, regular: 4, heavy: 8 }[engagement];
  const topUps = show.refund && subscriptionStatus === null ? Math.max(1, rng.int(1, topUpMax)) : rng.chance(topUpChance) ? rng.int(1, topUpMax) : 0;
  for (let t = 0; t < topUps; t++) {
    const pack = rng.weighted(TOP_UP_PACKS.map((p, i) => [p, [30, 40, 20, 10][i] ?? 1] as const));
    const forcedRefund = t === 0 && show.refund !== undefined && subscriptionStatus === null;
    // A showcase refund needs a charge old enough to have been refunded.
    const atMs = createdMs + (usageEndMs - createdMs) * rng.next() * (forcedRefund ? 0.5 : 1);
    let status: PaymentStatus = rng.weighted([
      ["succeeded", 90],
      ["requires_payment_method", 5],
      ["canceled", 3],
      ["requires_action", 1],
      ["processing", 1],
    ] as const);
    // Stripe settles a card within seconds: only a payment from the last day can still be processing.
    if ((status === "processing" && atMs < now - DAY) || forcedRefund) status = "succeeded";
    addPayment({
      atMs,
      kind: "top_up",
      plan: null,
      subscriptionId: null,
      amount: pack.prices[currency] ?? (pack.prices.usd as number),
      credits: pack.credits,
      status,
      refund: forcedRefund ? show.refund : undefined,
    });
  }
  if (show.declinedTopUp) {
    const pack = TOP_UP_PACKS[1]!;
    addPayment({ atMs: endMs - 3 * DAY, kind: "top_up", plan: null, subscriptionId: null, amount: pack.prices[currency] ?? (pack.prices.usd as number), credits: pack.credits, status: "requires_payment_method" });
  }
  if (firstStripeContactMs !== null) {
    out.customer_stripe_ids.push({
      customer_id: customerId,
      stripe_customer_id: `cus_${rng.base62(14)}`,
      created_at: iso(Math.max(createdMs, (firstStripeContactMs as number) - 5 * SECOND)),
    });
  }

  creditEvents.push({
    at: createdMs + 5 * SECOND,
    apply: () => [ledger(createdMs + 5 * SECOND, 30, "promotion", { note: "Welcome credits" })],
  });
  if (rng.chance(0.04) || show.goodwill) {
    const atMs = createdMs + (endMs - createdMs) * rng.next();
    const amount = rng.pick([20, 50, 100]);
    const note = rng.pick([
      "Generation stuck in queue during KIE.AI outage",
      "Compensation for a failed video render",
      "Goodwill after a billing mix-up",
      "Requested by email: track cut off at 30 s",
    ]);
    creditEvents.push({ at: atMs, apply: () => [ledger(atMs, amount, "goodwill", { note, actor_staff_id: ctx.staff.supportId })] });
  }
  if (rng.chance(0.01) || show.correction) {
    const atMs = createdMs + (endMs - createdMs) * rng.next();
    creditEvents.push({
      at: atMs,
      apply: (balance) =>
        balance >= 100
          ? [ledger(atMs, -100, "correction", { note: "Top-up credited twice by a replayed webhook; duplicate reversed", actor_staff_id: ctx.staff.financeId })]
          : [ledger(atMs, 40, "correction", { note: "Top-up webhook missed; credited manually", actor_staff_id: ctx.staff.financeId })],
    });
  }

  // ---------------------------------------------------------------- projects, generations, assets
  const projectCount = { dormant: 0, light: 1, regular: rng.int(1, 3), heavy: rng.int(3, 6) }[engagement];
  const gensPerProject = { dormant: [0, 0], light: [1, 3], regular: [1, 5], heavy: [3, 9] }[engagement] as [number, number];
  const thaiPrompts = thai && locale === "th";
  const liveAssetDeletion = deletedMs === null ? null : iso(deletedMs);

  interface PlannedGeneration {
    atMs: number;
    projectId: string | null;
    projectDeletedAt: string | null;
    media: Media;
  }
  const planned: PlannedGeneration[] = [];
  const projects: ProjectRow[] = [];
  for (let p = 0; p < projectCount; p++) {
    const projectId = rng.uuid();
    const startMs = createdMs + (usageEndMs - createdMs) * rng.next() * 0.9 + MINUTE;
    const media = rng.weighted([
      ["music", 45],
      ["image", 40],
      ["video", 15],
    ] as const);
    const projectDeleted = deletedMs !== null ? iso(deletedMs) : rng.chance(0.08) ? iso(startMs + (endMs - startMs) * (0.6 + 0.4 * rng.next())) : null;
    const activeUntil = Math.min(usageEndMs, startMs + 120 * DAY);
    const count = rng.int(gensPerProject[0], gensPerProject[1]);
    let lastMs = startMs;
    for (let g = 0; g < count; g++) {
      const atMs = startMs + (activeUntil - startMs) * rng.next() * rng.next() + 10 * SECOND;
      lastMs = Math.max(lastMs, atMs);
      planned.push({
        atMs,
        projectId: rng.chance(0.05) ? null : projectId,
        projectDeletedAt: projectDeleted,
        media: rng.chance(0.8) ? media : rng.pick(["music", "image", "video"] as const),
      });
    }
    const settings: Record<string, unknown> = { default_media: media, visibility: rng.pick(["private", "private", "unlisted"]) };
    if (media === "music") settings.genre = rng.pick(MUSIC_GENRES);
    else settings.aspect_ratio = rng.pick(ASPECT_RATIOS);
    projects.push({
      id: projectId,
      customer_id: customerId,
      title: rng.pick(PROJECT_TITLES),
      settings,
      created_at: iso(startMs),
      updated_at: iso(Math.min(endMs, lastMs)),
      deleted_at: projectDeleted,
    });
    if (rng.chance(0.25)) {
      for (let u = rng.int(1, 3); u > 0; u--) {
        const kind = rng.weighted([
          ["image/jpeg", 4],
          ["image/png", 3],
          ["audio/wav", 2],
          ["audio/mpeg", 2],
        ] as const);
        const ext = { "image/jpeg": "jpg", "image/png": "png", "audio/wav": "wav", "audio/mpeg": "mp3" }[kind];
        const size = kind === "audio/wav" ? rng.int(5_000_000, 45_000_000) : kind === "audio/mpeg" ? rng.int(2_000_000, 9_000_000) : rng.int(150_000, 6_000_000);
        const assetId = rng.uuid();
        out.assets.push({
          id: assetId,
          customer_id: customerId,
          project_id: projectId,
          generation_id: null,
          kind: "upload",
          r2_key: `u/${clerkUserId}/${projectId}/${assetId}.${ext}`,
          content_type: kind,
          size_bytes: size,
          created_at: iso(startMs + rng.next() * HOUR),
          deleted_at: projectDeleted ?? liveAssetDeletion,
        });
      }
    }
  }
  out.projects.push(...projects);
  if (show.runningGeneration && projects[0]) {
    planned.push({ atMs: now - 3 * MINUTE, projectId: projects[0].id, projectDeletedAt: null, media: "video" });
    planned.push({ atMs: now - 40 * SECOND, projectId: projects[0].id, projectDeletedAt: null, media: "music" });
  }

  for (const plan of planned) {
    const model = pickModel(rng, plan.media);
    const generationId = rng.uuid();
    const ageMs = now - plan.atMs;
    const status: GenerationRow["status"] =
      ageMs < MINUTE ? "queued" : ageMs < 5 * MINUTE ? "running" : rng.chance(0.05) ? "failed" : "succeeded";
    const prompt = promptFor(rng, plan.media, thaiPrompts && rng.chance(0.4));
    const metadata = metadataFor(rng, model);
    if (status === "failed") metadata.error = rng.pick(["content_policy", "timeout", "upstream_error"]);
    const assetsForGeneration: AssetRow[] = [];
    if (status === "succeeded") {
      // Suno returns two takes; a few image jobs ask for a set of variations.
      const files = plan.media === "music" ? 2 : plan.media === "image" ? rng.pick([1, 1, 1, 1, 2]) : 1;
      for (let f = 0; f < files; f++) {
        const assetId = rng.uuid();
        const [contentType, ext, size, delayMs] =
          plan.media === "music" ? ["audio/mpeg", "mp3", Number(metadata.duration_s) * 24_000 + rng.int(0, 40_000), rng.int(40, 150) * SECOND]
          : plan.media === "image" ? (rng.chance(0.6) ? ["image/png", "png", rng.int(900_000, 4_500_000), rng.int(6, 25) * SECOND] : ["image/webp", "webp", rng.int(180_000, 900_000), rng.int(6, 25) * SECOND])
          : ["video/mp4", "mp4", Number(metadata.duration_s) * (metadata.resolution === "1080p" ? 1_250_000 : 620_000) + rng.int(0, 300_000), rng.int(60, 280) * SECOND];
        assetsForGeneration.push({
          id: assetId,
          customer_id: customerId,
          project_id: plan.projectId,
          generation_id: generationId,
          kind: "generated",
          r2_key: `u/${clerkUserId}/${plan.projectId ?? "no-project"}/${assetId}.${ext as string}`,
          content_type: contentType as string,
          size_bytes: size as number,
          created_at: iso(Math.min(now, plan.atMs + (delayMs as number))),
          deleted_at: plan.projectId ? plan.projectDeletedAt ?? liveAssetDeletion : liveAssetDeletion,
        });
      }
    }
    const generation: GenerationRow = {
      id: generationId,
      customer_id: customerId,
      project_id: plan.projectId,
      media: plan.media,
      model: model.model,
      prompt,
      metadata,
      credits_cost: model.credits,
      status,
      created_at: iso(plan.atMs),
    };
    creditEvents.push({
      at: plan.atMs,
      // A generation is only accepted when the balance covers it; otherwise the customer never made it.
      apply: (balance) => {
        if (balance < model.credits) return [];
        out.generations.push(generation);
        out.assets.push(...assetsForGeneration);
        if (status === "failed") {
          const refundMs = plan.atMs + 90 * SECOND;
          later.push({
            at: refundMs,
            apply: () => [ledger(refundMs, model.credits, "failed_generation", { generation_id: generationId, note: `Refund: ${String(metadata.error)}` })],
          });
        }
        return [ledger(plan.atMs, -model.credits, "generation", { generation_id: generationId, idempotency_key: `gen:${generationId}` })];
      },
    });
  }

  // ---------------------------------------------------------------- the credit timeline
  // Events run in time order; an event may schedule a later one (a failed generation's refund), which
  // joins the queue at its own time, so ledger rows are in time order and the running balance is >= 0.
  const queue = [...creditEvents].sort((a, b) => a.at - b.at);
  let balance = 0;
  while (queue.length > 0) {
    const event = queue.shift() as CreditEvent;
    for (const row of event.apply(balance)) {
      balance += row.amount;
      out.credit_ledger.push(row);
    }
    for (const scheduled of later.splice(0)) {
      let at = queue.findIndex((e) => e.at > scheduled.at);
      if (at < 0) at = queue.length;
      queue.splice(at, 0, scheduled);
    }
  }

  return {
    logSubject: deleted ? null : { id: customerId, fromSec: Math.floor(createdMs / 1000), ip: primaryIp, userAgentIndex },
  };
}
