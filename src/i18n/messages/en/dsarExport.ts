/**
 * The DSAR access/portability export's words (src/features/dsar/export): what the console says when a build or a
 * check fails, and what the data subject reads in the ZIP's README.txt. Loads with the export code, in the page
 * and in the export's Web Worker alike (each module that uses a key imports this file).
 *
 * The README speaks English and Thai side by side whatever the console's language: its whole lines are under
 * `readme`, and the words that stand once per language (categories, lawful bases, processors' roles, retention,
 * the README's field labels) are one subtree per document language, `en` and `th`, with the same keys.
 */
import { registerMessages } from "../../translate";

const en = {
  /** What each processor does for M-Factory (policy §4); the processors' names are brands, not words. */
  processorRoles: {
    clerk: "authentication, account management",
    supabase: "primary database",
    cloudflare_r2: "file storage (uploads, generated assets)",
    stripe: "payment processing",
    kie_ai: "AI generation",
    upstash: "Redis queue",
    sentry: "error tracking",
    hosting: "hosting",
  },
  /** Lawful bases as the policy's §3 table states them (PDPA s.24); a category with several joins them with "; ". */
  lawfulBases: {
    contract: "Performance of contract (PDPA s.24(3))",
    legitimateInterest: "Legitimate interest (PDPA s.24(5))",
    legalObligation: "Legal obligation (PDPA s.24(6))",
    analyticsConsent: "Consent, for analytics (you can opt out)",
  },
  /** Retention periods, policy §6. */
  retention: {
    account: "While your account is active and for up to 12 months after deletion (tax/audit records)",
    payments: "7 years (Thai tax law)",
    untilDeleted: "Deleted when you delete a project or close your account",
    consentProof: "Kept as proof until account deletion + 30 days",
    apiLogs: "90 days",
    errorReports: "30 days",
  },
  /** Each category: its name, what the rows are, and why M-Factory holds them (policy §2, §3). */
  categories: {
    profile: {
      title: "Profile",
      contents:
        "Account and identity: email, display name, profile image URL, Clerk user ID, locale, country, Stripe customer ID, credit balance, current plan, processing-restriction flag",
      purpose: "Provide and operate the Service; customer support",
    },
    projects: {
      title: "Projects",
      contents: "Project titles, settings and timestamps",
      purpose: "Provide and operate the Service",
    },
    generations: {
      title: "Generations",
      contents: "Every generation request: prompt, model, media type, generation metadata, credits charged, status",
      purpose: "Provide and operate the Service (AI generation); service abuse and fraud prevention",
    },
    assets: {
      title: "Assets manifest",
      contents:
        "Uploaded files and generated assets: storage (R2) key, content type, size in bytes, created time (the list, not the files themselves)",
      purpose: "Provide and operate the Service",
    },
    credit_ledger: {
      title: "Credit ledger",
      contents: "Credit balance transaction history: every credit added or spent, with its reason",
      purpose: "Provide and operate the Service; charge subscriptions / top-ups",
    },
    payments: {
      title: "Payments",
      contents:
        "Payments: Stripe payment intent and charge IDs, plan, amount, refunds, currency, status, credits granted (no card numbers: Stripe holds card data)",
      purpose: "Charge subscriptions / top-ups; legal compliance (tax)",
    },
    subscriptions: {
      title: "Subscriptions",
      contents: "Subscriptions: Stripe subscription ID, plan, status, current period end, cancellation",
      purpose: "Charge subscriptions / top-ups; legal compliance (tax)",
    },
    consent_history: {
      title: "Consent history",
      contents:
        "Every consent given or withdrawn (terms, privacy policy, analytics, marketing email): policy version, source, IP address, user agent, time",
      purpose: "Proof of your consent choices; product analytics only where you consented",
    },
    api_logs: {
      title: "API request logs",
      contents: "API request log entries still within retention (last 90 days): method, endpoint, status code, IP address, user agent, time",
      purpose: "Service abuse and fraud prevention; operating the Service",
    },
    error_reports: {
      title: "Error report references",
      contents: "References to error reports sent to Sentry (event ID, PII-redacted summary, time); limited stack traces stay with Sentry",
      purpose: "Operating the Service (fixing errors)",
    },
  },
  /** How many records a category holds (`{n}` is the count as digits, as the README has always written it). */
  held: { one: "{n} record", other: "{n} records" },
  noDataHeld: "No data held",
  noDataHeldCount: "No data held (0 records)",
  /** The labels of a category's lines in the README, one line per language. */
  labels: {
    records: "Records",
    contents: "Contents",
    purpose: "Purpose",
    lawfulBasis: "Lawful basis",
    recipients: "Recipients (processors)",
    retention: "Retention",
  },
} as const;

const th = {
  processorRoles: {
    clerk: "การยืนยันตัวตนและการจัดการบัญชี",
    supabase: "ฐานข้อมูลหลัก",
    cloudflare_r2: "พื้นที่จัดเก็บไฟล์ (ไฟล์ที่อัปโหลดและผลงานที่สร้าง)",
    stripe: "การประมวลผลการชำระเงิน",
    kie_ai: "การสร้างผลงานด้วย AI",
    upstash: "คิวงาน Redis",
    sentry: "การติดตามข้อผิดพลาดของระบบ",
    hosting: "โฮสติ้งของบริการ",
  },
  lawfulBases: {
    contract: "การปฏิบัติตามสัญญา (มาตรา 24(3) พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล)",
    legitimateInterest: "ประโยชน์โดยชอบด้วยกฎหมาย (มาตรา 24(5))",
    legalObligation: "การปฏิบัติตามกฎหมาย (มาตรา 24(6))",
    analyticsConsent: "ความยินยอม สำหรับการวิเคราะห์ (ท่านเลือกไม่รับได้)",
  },
  retention: {
    account: "ตลอดระยะเวลาที่บัญชียังใช้งานอยู่ และไม่เกิน 12 เดือนหลังการลบบัญชี (เพื่อบันทึกทางภาษี/การตรวจสอบ)",
    payments: "7 ปี (ตามกฎหมายภาษีของไทย)",
    untilDeleted: "ลบเมื่อท่านลบโปรเจกต์หรือปิดบัญชี",
    consentProof: "เก็บไว้เป็นหลักฐานจนถึง 30 วันหลังการลบบัญชี",
    apiLogs: "90 วัน",
    errorReports: "30 วัน",
  },
  categories: {
    profile: {
      title: "ข้อมูลโปรไฟล์",
      contents:
        "ข้อมูลบัญชีและตัวตน: อีเมล ชื่อที่แสดง URL รูปโปรไฟล์ รหัสผู้ใช้ Clerk ภาษา ประเทศ รหัสลูกค้า Stripe ยอดเครดิต แพ็กเกจปัจจุบัน และสถานะการจำกัดการประมวลผล",
      purpose: "ให้บริการและดำเนินงานบริการ; การดูแลลูกค้า",
    },
    projects: {
      title: "โปรเจกต์",
      contents: "ชื่อโปรเจกต์ การตั้งค่า และเวลาที่บันทึก",
      purpose: "ให้บริการและดำเนินงานบริการ",
    },
    generations: {
      title: "การสร้างผลงาน",
      contents: "คำขอสร้างผลงานทุกครั้ง: พรอมต์ โมเดล ประเภทสื่อ เมทาดาทาของการสร้าง เครดิตที่ใช้ และสถานะ",
      purpose: "ให้บริการสร้างผลงานด้วย AI; ป้องกันการใช้บริการในทางที่ผิดและการฉ้อโกง",
    },
    assets: {
      title: "รายการไฟล์ผลงาน",
      contents: "ไฟล์ที่อัปโหลดและผลงานที่สร้าง: คีย์ในพื้นที่จัดเก็บ (R2) ชนิดไฟล์ ขนาด (ไบต์) และเวลาที่สร้าง (เป็นรายการ ไม่ใช่ตัวไฟล์)",
      purpose: "ให้บริการและดำเนินงานบริการ",
    },
    credit_ledger: {
      title: "ประวัติเครดิต",
      contents: "ประวัติธุรกรรมเครดิต: ทุกรายการที่เพิ่มหรือใช้เครดิต พร้อมเหตุผล",
      purpose: "ให้บริการและดำเนินงานบริการ; เรียกเก็บค่าสมาชิกและการเติมเครดิต",
    },
    payments: {
      title: "การชำระเงิน",
      contents:
        "การชำระเงิน: รหัส payment intent และ charge ของ Stripe แพ็กเกจ จำนวนเงิน การคืนเงิน สกุลเงิน สถานะ และเครดิตที่ได้รับ (ไม่มีเลขบัตร: Stripe เป็นผู้เก็บข้อมูลบัตร)",
      purpose: "เรียกเก็บค่าสมาชิกและการเติมเครดิต; ปฏิบัติตามกฎหมาย (ภาษี)",
    },
    subscriptions: {
      title: "การสมัครสมาชิก",
      contents: "การสมัครสมาชิก: รหัส subscription ของ Stripe แพ็กเกจ สถานะ วันสิ้นสุดรอบปัจจุบัน และการยกเลิก",
      purpose: "เรียกเก็บค่าสมาชิกและการเติมเครดิต; ปฏิบัติตามกฎหมาย (ภาษี)",
    },
    consent_history: {
      title: "ประวัติความยินยอม",
      contents:
        "ทุกครั้งที่ให้หรือถอนความยินยอม (ข้อกำหนด นโยบายความเป็นส่วนตัว การวิเคราะห์ อีเมลการตลาด): เวอร์ชันนโยบาย ช่องทาง ที่อยู่ IP user agent และเวลา",
      purpose: "เป็นหลักฐานการให้ความยินยอมของท่าน; การวิเคราะห์ผลิตภัณฑ์เฉพาะเมื่อท่านยินยอม",
    },
    api_logs: {
      title: "บันทึกการเรียกใช้ API",
      contents: "บันทึกการเรียกใช้ API ที่ยังอยู่ในระยะเวลาเก็บรักษา (90 วันล่าสุด): เมธอด endpoint รหัสสถานะ ที่อยู่ IP user agent และเวลา",
      purpose: "ป้องกันการใช้บริการในทางที่ผิดและการฉ้อโกง; การดำเนินงานบริการ",
    },
    error_reports: {
      title: "การอ้างอิงรายงานข้อผิดพลาด",
      contents:
        "การอ้างอิงรายงานข้อผิดพลาดที่ส่งไปยัง Sentry (รหัสเหตุการณ์ สรุปที่ตัดข้อมูลส่วนบุคคลออกแล้ว และเวลา) โดย stack trace แบบจำกัดอยู่ที่ Sentry",
      purpose: "การดำเนินงานบริการ (แก้ไขข้อผิดพลาด)",
    },
  },
  held: { one: "{n} รายการ", other: "{n} รายการ" },
  noDataHeld: "ไม่มีข้อมูลที่เก็บไว้",
  noDataHeldCount: "ไม่มีข้อมูลที่เก็บไว้ (0 รายการ)",
  labels: {
    records: "จำนวนข้อมูล",
    contents: "ข้อมูลที่มี",
    purpose: "วัตถุประสงค์",
    lawfulBasis: "ฐานทางกฎหมาย",
    recipients: "ผู้รับข้อมูล (ผู้ประมวลผลข้อมูล)",
    retention: "ระยะเวลาเก็บรักษา",
  },
} as const;

export const dsarExport = {
  /** What the console says when an export cannot be built, is cancelled, or fails its check. */
  errors: {
    cancelled: "The DSAR export was cancelled",
    alreadyRunning: "This export worker is already running an export",
    unknownCategory: "Unknown export category: {category}",
    whoIsBuilding: "Could not check who is building the export: {error}",
    dpoOnly:
      "Only the DPO can build a DSAR export: row-level security hides categories from other roles, so their export would be incomplete",
    pageTooLarge: "Could not read {category}: pages of {limit} rows are more than the API answers at once (max_rows {max})",
    readFailed: "Could not read {category} from {source}: {error}",
    verificationFailed: "The export failed verification: {problems}",
  },
  /** What readExport finds wrong with an archive (joined with "; " after errors.verificationFailed). */
  problems: {
    notAZip: "not a readable ZIP archive ({error})",
    manifestMissing: "{manifest} is missing",
    manifestNotJson: "{manifest} is not valid JSON",
    notOurManifest: "{manifest} is not an M-Factory DSAR export manifest",
    fileMissing: "{path} is listed in the manifest but missing",
    wrongSize: "{path} has {actual} bytes, the manifest says {stated}",
    wrongHash: "{path} does not match its SHA-256 in the manifest",
    notAnArray: "{path} is not a JSON array",
    notJson: "{path} is not valid JSON",
    unlisted: "{path} is in the archive but not in the manifest",
    categoryMissing: "category {category} is missing from the manifest",
    wrongRowCount: "{path} holds {actual} rows, the manifest says {stated}",
  },
  /** README.txt's lines that carry both languages; `{…}` are facts of the request and the export. */
  readme: {
    title: "M-Factory — copy of your personal data / สำเนาข้อมูลส่วนบุคคลของท่าน",
    request: "Request / คำขอ: {reference} ({type})",
    requestTypes: { access: "access / การเข้าถึงข้อมูล", portability: "portability / การโอนย้ายข้อมูล" },
    subject: "Data subject / เจ้าของข้อมูล: {email} ({account})",
    customer: "customer {id}",
    noAccount: "no matching account / ไม่พบบัญชีที่ตรงกัน",
    generated: "Generated / สร้างเมื่อ: {at}",
    policy: "Privacy policy / นโยบายความเป็นส่วนตัว: version {version}",
    category: "{number}. {en} / {th}",
    files: "Files / ไฟล์: {json}, {csv}",
    /** Paragraphs of several lines: each "\n" is a line break of the README (written with CRLF). */
    intro: [
      "EN: This archive contains every category of personal data M-Factory holds about you, under your right of",
      "access and data portability (PDPA s.30 and s.31). Each category is given twice: as JSON (json/) and as CSV",
      "(csv/, UTF-8, opens in a spreadsheet). manifest.json lists every file with its SHA-256 checksum and number",
      "of records, so you can check that nothing was changed.",
      "TH: ไฟล์นี้รวบรวมข้อมูลส่วนบุคคลทุกประเภทที่ M-Factory เก็บเกี่ยวกับท่าน ตามสิทธิในการเข้าถึงและการโอนย้ายข้อมูล",
      "(มาตรา 30 และ 31 พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล) ข้อมูลแต่ละประเภทมีสองรูปแบบ: JSON (โฟลเดอร์ json/) และ CSV",
      "(โฟลเดอร์ csv/ เข้ารหัส UTF-8 เปิดด้วยโปรแกรมตารางคำนวณได้) ไฟล์ manifest.json ระบุค่า SHA-256 และจำนวนรายการ",
      "ของทุกไฟล์ เพื่อให้ท่านตรวจสอบได้ว่าไม่มีการแก้ไข",
    ].join("\n"),
    closing: [
      "EN: Our processors operate globally; your data may be processed outside Thailand (notably in the United",
      "States and the European Union) under standard contractual clauses or equivalent safeguards. You may also ask",
      "us to rectify, erase or restrict your data, withdraw consent, or complain to the Personal Data Protection",
      "Committee (PDPC) of Thailand. Contact our DPO: privacy@m-factory.app",
      "TH: ผู้ประมวลผลข้อมูลของเราดำเนินงานทั่วโลก ข้อมูลของท่านอาจถูกประมวลผลนอกประเทศไทย (โดยเฉพาะสหรัฐอเมริกาและ",
      "สหภาพยุโรป) ภายใต้ข้อสัญญามาตรฐานหรือมาตรการคุ้มครองที่เทียบเท่า ท่านยังมีสิทธิขอให้แก้ไข ลบ หรือจำกัดการใช้ข้อมูล",
      "ถอนความยินยอม หรือร้องเรียนต่อคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.) ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล:",
      "privacy@m-factory.app",
    ].join("\n"),
  },
  en,
  th,
} as const;

registerMessages("en", "dsarExport", dsarExport);
