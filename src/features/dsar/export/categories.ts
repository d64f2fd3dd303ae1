/**
 * What an access/portability export contains, as data: every category of personal data M-Factory holds
 * (privacy policy 2026-05-12 §2), why (§3), who processes it (§4) and how long it is kept (§6), in
 * English and Thai. The README, the manifest, the CSV headers and the Supabase fetcher all read this
 * one table, so a new category or a policy change is made here and nowhere else.
 */

export const EXPORT_POLICY_VERSION = "2026-05-12";

export interface Bilingual {
  en: string;
  th: string;
}

export type ProcessorId = "clerk" | "supabase" | "cloudflare_r2" | "stripe" | "kie_ai" | "upstash" | "sentry" | "hosting";

export interface Processor {
  id: ProcessorId;
  name: string;
  role: Bilingual;
}

/** Policy §4, in the policy's order. */
export const PROCESSORS: Readonly<Record<ProcessorId, Processor>> = {
  clerk: { id: "clerk", name: "Clerk", role: { en: "authentication, account management", th: "การยืนยันตัวตนและการจัดการบัญชี" } },
  supabase: { id: "supabase", name: "Supabase (PostgreSQL)", role: { en: "primary database", th: "ฐานข้อมูลหลัก" } },
  cloudflare_r2: {
    id: "cloudflare_r2",
    name: "Cloudflare R2",
    role: { en: "file storage (uploads, generated assets)", th: "พื้นที่จัดเก็บไฟล์ (ไฟล์ที่อัปโหลดและผลงานที่สร้าง)" },
  },
  stripe: { id: "stripe", name: "Stripe", role: { en: "payment processing", th: "การประมวลผลการชำระเงิน" } },
  kie_ai: {
    id: "kie_ai",
    name: "KIE.AI (Suno / Nano Banana / Seedance models)",
    role: { en: "AI generation", th: "การสร้างผลงานด้วย AI" },
  },
  upstash: { id: "upstash", name: "Upstash", role: { en: "Redis queue", th: "คิวงาน Redis" } },
  sentry: { id: "sentry", name: "Sentry", role: { en: "error tracking", th: "การติดตามข้อผิดพลาดของระบบ" } },
  hosting: { id: "hosting", name: "Vercel / Render", role: { en: "hosting", th: "โฮสติ้งของบริการ" } },
};

export type ExportCategoryId =
  | "profile"
  | "projects"
  | "generations"
  | "assets"
  | "credit_ledger"
  | "payments"
  | "subscriptions"
  | "consent_history"
  | "api_logs"
  | "error_reports";

export interface ExportCategory {
  id: ExportCategoryId;
  title: Bilingual;
  /** What the rows are. */
  contents: Bilingual;
  purpose: Bilingual;
  lawfulBasis: Bilingual;
  processors: readonly ProcessorId[];
  retention: Bilingual;
  /** CSV header and the only keys a fetched row may carry, in this order. */
  columns: readonly string[];
}

// Lawful bases as the policy's §3 table states them (PDPA s.24).
const CONTRACT: Bilingual = {
  en: "Performance of contract (PDPA s.24(3))",
  th: "การปฏิบัติตามสัญญา (มาตรา 24(3) พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล)",
};
const LEGITIMATE_INTEREST: Bilingual = {
  en: "Legitimate interest (PDPA s.24(5))",
  th: "ประโยชน์โดยชอบด้วยกฎหมาย (มาตรา 24(5))",
};
const LEGAL_OBLIGATION: Bilingual = {
  en: "Legal obligation (PDPA s.24(6))",
  th: "การปฏิบัติตามกฎหมาย (มาตรา 24(6))",
};
const join = (...parts: Bilingual[]): Bilingual => ({
  en: parts.map((p) => p.en).join("; "),
  th: parts.map((p) => p.th).join("; "),
});

// Retention periods, policy §6.
const ACCOUNT_RETENTION: Bilingual = {
  en: "While your account is active and for up to 12 months after deletion (tax/audit records)",
  th: "ตลอดระยะเวลาที่บัญชียังใช้งานอยู่ และไม่เกิน 12 เดือนหลังการลบบัญชี (เพื่อบันทึกทางภาษี/การตรวจสอบ)",
};
const PAYMENT_RETENTION: Bilingual = { en: "7 years (Thai tax law)", th: "7 ปี (ตามกฎหมายภาษีของไทย)" };

export const EXPORT_CATEGORIES: readonly ExportCategory[] = [
  {
    id: "profile",
    title: { en: "Profile", th: "ข้อมูลโปรไฟล์" },
    contents: {
      en: "Account and identity: email, display name, profile image URL, Clerk user ID, locale, country, Stripe customer ID, credit balance, current plan, processing-restriction flag",
      th: "ข้อมูลบัญชีและตัวตน: อีเมล ชื่อที่แสดง URL รูปโปรไฟล์ รหัสผู้ใช้ Clerk ภาษา ประเทศ รหัสลูกค้า Stripe ยอดเครดิต แพ็กเกจปัจจุบัน และสถานะการจำกัดการประมวลผล",
    },
    purpose: {
      en: "Provide and operate the Service; customer support",
      th: "ให้บริการและดำเนินงานบริการ; การดูแลลูกค้า",
    },
    lawfulBasis: join(CONTRACT, LEGITIMATE_INTEREST),
    processors: ["clerk", "supabase", "stripe", "hosting"],
    retention: ACCOUNT_RETENTION,
    columns: [
      "id", "clerk_user_id", "email", "display_name", "profile_image_url", "locale", "country", "created_at", "updated_at",
      "deleted_at", "processing_restricted", "restricted_at", "restriction_reason", "credit_balance", "stripe_customer_id",
      "subscription_plan", "subscription_status",
    ],
  },
  {
    id: "projects",
    title: { en: "Projects", th: "โปรเจกต์" },
    contents: { en: "Project titles, settings and timestamps", th: "ชื่อโปรเจกต์ การตั้งค่า และเวลาที่บันทึก" },
    purpose: { en: "Provide and operate the Service", th: "ให้บริการและดำเนินงานบริการ" },
    lawfulBasis: CONTRACT,
    processors: ["supabase", "hosting"],
    retention: ACCOUNT_RETENTION,
    columns: ["id", "title", "settings", "created_at", "updated_at", "deleted_at"],
  },
  {
    id: "generations",
    title: { en: "Generations", th: "การสร้างผลงาน" },
    contents: {
      en: "Every generation request: prompt, model, media type, generation metadata, credits charged, status",
      th: "คำขอสร้างผลงานทุกครั้ง: พรอมต์ โมเดล ประเภทสื่อ เมทาดาทาของการสร้าง เครดิตที่ใช้ และสถานะ",
    },
    purpose: {
      en: "Provide and operate the Service (AI generation); service abuse and fraud prevention",
      th: "ให้บริการสร้างผลงานด้วย AI; ป้องกันการใช้บริการในทางที่ผิดและการฉ้อโกง",
    },
    lawfulBasis: join(CONTRACT, LEGITIMATE_INTEREST),
    processors: ["kie_ai", "upstash", "supabase", "hosting"],
    retention: ACCOUNT_RETENTION,
    columns: ["id", "project_id", "media", "model", "prompt", "metadata", "credits_cost", "status", "created_at"],
  },
  {
    id: "assets",
    title: { en: "Assets manifest", th: "รายการไฟล์ผลงาน" },
    contents: {
      en: "Uploaded files and generated assets: storage (R2) key, content type, size in bytes, created time (the list, not the files themselves)",
      th: "ไฟล์ที่อัปโหลดและผลงานที่สร้าง: คีย์ในพื้นที่จัดเก็บ (R2) ชนิดไฟล์ ขนาด (ไบต์) และเวลาที่สร้าง (เป็นรายการ ไม่ใช่ตัวไฟล์)",
    },
    purpose: { en: "Provide and operate the Service", th: "ให้บริการและดำเนินงานบริการ" },
    lawfulBasis: CONTRACT,
    processors: ["cloudflare_r2", "supabase"],
    retention: {
      en: "Deleted when you delete a project or close your account",
      th: "ลบเมื่อท่านลบโปรเจกต์หรือปิดบัญชี",
    },
    columns: ["id", "project_id", "generation_id", "kind", "r2_key", "content_type", "size_bytes", "created_at", "deleted_at"],
  },
  {
    id: "credit_ledger",
    title: { en: "Credit ledger", th: "ประวัติเครดิต" },
    contents: {
      en: "Credit balance transaction history: every credit added or spent, with its reason",
      th: "ประวัติธุรกรรมเครดิต: ทุกรายการที่เพิ่มหรือใช้เครดิต พร้อมเหตุผล",
    },
    purpose: {
      en: "Provide and operate the Service; charge subscriptions / top-ups",
      th: "ให้บริการและดำเนินงานบริการ; เรียกเก็บค่าสมาชิกและการเติมเครดิต",
    },
    lawfulBasis: CONTRACT,
    processors: ["supabase"],
    retention: ACCOUNT_RETENTION,
    columns: ["id", "amount", "reason", "note", "generation_id", "payment_id", "created_at"],
  },
  {
    id: "payments",
    title: { en: "Payments", th: "การชำระเงิน" },
    contents: {
      en: "Payments: Stripe payment intent and charge IDs, plan, amount, refunds, currency, status, credits granted (no card numbers: Stripe holds card data)",
      th: "การชำระเงิน: รหัส payment intent และ charge ของ Stripe แพ็กเกจ จำนวนเงิน การคืนเงิน สกุลเงิน สถานะ และเครดิตที่ได้รับ (ไม่มีเลขบัตร: Stripe เป็นผู้เก็บข้อมูลบัตร)",
    },
    purpose: {
      en: "Charge subscriptions / top-ups; legal compliance (tax)",
      th: "เรียกเก็บค่าสมาชิกและการเติมเครดิต; ปฏิบัติตามกฎหมาย (ภาษี)",
    },
    lawfulBasis: join(CONTRACT, LEGAL_OBLIGATION),
    processors: ["stripe", "supabase"],
    retention: PAYMENT_RETENTION,
    columns: [
      "id", "subscription_id", "kind", "plan", "amount", "amount_refunded", "currency", "status", "credits_granted", "created_at",
      "stripe_payment_intent_id", "stripe_charge_id",
    ],
  },
  {
    id: "subscriptions",
    title: { en: "Subscriptions", th: "การสมัครสมาชิก" },
    contents: {
      en: "Subscriptions: Stripe subscription ID, plan, status, current period end, cancellation",
      th: "การสมัครสมาชิก: รหัส subscription ของ Stripe แพ็กเกจ สถานะ วันสิ้นสุดรอบปัจจุบัน และการยกเลิก",
    },
    purpose: {
      en: "Charge subscriptions / top-ups; legal compliance (tax)",
      th: "เรียกเก็บค่าสมาชิกและการเติมเครดิต; ปฏิบัติตามกฎหมาย (ภาษี)",
    },
    lawfulBasis: join(CONTRACT, LEGAL_OBLIGATION),
    processors: ["stripe", "supabase"],
    retention: PAYMENT_RETENTION,
    columns: ["id", "plan", "status", "current_period_end", "created_at", "canceled_at", "stripe_subscription_id"],
  },
  {
    id: "consent_history",
    title: { en: "Consent history", th: "ประวัติความยินยอม" },
    contents: {
      en: "Every consent given or withdrawn (terms, privacy policy, analytics, marketing email): policy version, source, IP address, user agent, time",
      th: "ทุกครั้งที่ให้หรือถอนความยินยอม (ข้อกำหนด นโยบายความเป็นส่วนตัว การวิเคราะห์ อีเมลการตลาด): เวอร์ชันนโยบาย ช่องทาง ที่อยู่ IP user agent และเวลา",
    },
    purpose: {
      en: "Proof of your consent choices; product analytics only where you consented",
      th: "เป็นหลักฐานการให้ความยินยอมของท่าน; การวิเคราะห์ผลิตภัณฑ์เฉพาะเมื่อท่านยินยอม",
    },
    lawfulBasis: join(LEGAL_OBLIGATION, { en: "Consent, for analytics (you can opt out)", th: "ความยินยอม สำหรับการวิเคราะห์ (ท่านเลือกไม่รับได้)" }),
    processors: ["supabase"],
    retention: {
      en: "Kept as proof until account deletion + 30 days",
      th: "เก็บไว้เป็นหลักฐานจนถึง 30 วันหลังการลบบัญชี",
    },
    columns: ["id", "purpose", "action", "policy_version_id", "source", "ip", "user_agent", "occurred_at"],
  },
  {
    id: "api_logs",
    title: { en: "API request logs", th: "บันทึกการเรียกใช้ API" },
    contents: {
      en: "API request log entries still within retention (last 90 days): method, endpoint, status code, IP address, user agent, time",
      th: "บันทึกการเรียกใช้ API ที่ยังอยู่ในระยะเวลาเก็บรักษา (90 วันล่าสุด): เมธอด endpoint รหัสสถานะ ที่อยู่ IP user agent และเวลา",
    },
    purpose: {
      en: "Service abuse and fraud prevention; operating the Service",
      th: "ป้องกันการใช้บริการในทางที่ผิดและการฉ้อโกง; การดำเนินงานบริการ",
    },
    lawfulBasis: LEGITIMATE_INTEREST,
    processors: ["supabase", "hosting"],
    retention: { en: "90 days", th: "90 วัน" },
    columns: ["id", "method", "endpoint", "status_code", "ip", "user_agent", "requested_at"],
  },
  {
    id: "error_reports",
    title: { en: "Error report references", th: "การอ้างอิงรายงานข้อผิดพลาด" },
    contents: {
      en: "References to error reports sent to Sentry (event ID, PII-redacted summary, time); limited stack traces stay with Sentry",
      th: "การอ้างอิงรายงานข้อผิดพลาดที่ส่งไปยัง Sentry (รหัสเหตุการณ์ สรุปที่ตัดข้อมูลส่วนบุคคลออกแล้ว และเวลา) โดย stack trace แบบจำกัดอยู่ที่ Sentry",
    },
    purpose: { en: "Operating the Service (fixing errors)", th: "การดำเนินงานบริการ (แก้ไขข้อผิดพลาด)" },
    lawfulBasis: LEGITIMATE_INTEREST,
    processors: ["sentry", "supabase"],
    retention: { en: "30 days", th: "30 วัน" },
    columns: ["id", "sentry_event_id", "summary", "occurred_at"],
  },
];

export function exportCategory(id: ExportCategoryId): ExportCategory {
  const found = EXPORT_CATEGORIES.find((c) => c.id === id);
  if (!found) throw new Error(`Unknown export category: ${String(id)}`);
  return found;
}

/** Path of a category's JSON / CSV file inside the ZIP. */
export const categoryFilePath = (id: ExportCategoryId, format: "json" | "csv"): string => `${format}/${id}.${format}`;
