/**
 * Word lists the generator draws from: names, prompts, models, devices. Plain data, no logic.
 * Thai names carry their romanisation, which is what Thai customers typically use in email addresses.
 */

export interface ThaiName {
  thai: string;
  roman: string;
}

export const THAI_GIVEN_NAMES: readonly ThaiName[] = [
  { thai: "สมชาย", roman: "somchai" }, { thai: "สมศรี", roman: "somsri" }, { thai: "ณัฐพล", roman: "nattapon" },
  { thai: "ธนากร", roman: "thanakorn" }, { thai: "พิมพ์ชนก", roman: "pimchanok" }, { thai: "กมลชนก", roman: "kamonchanok" },
  { thai: "ปิยะพงษ์", roman: "piyapong" }, { thai: "วรรณา", roman: "wanna" }, { thai: "อรุณี", roman: "arunee" },
  { thai: "ศิริพร", roman: "siriporn" }, { thai: "ชยพล", roman: "chayapol" }, { thai: "ภานุวัฒน์", roman: "panuwat" },
  { thai: "ธิดารัตน์", roman: "thidarat" }, { thai: "สุภาพร", roman: "supaporn" }, { thai: "กิตติพัฒน์", roman: "kittipat" },
  { thai: "จิราพร", roman: "jiraporn" }, { thai: "อนุชา", roman: "anucha" }, { thai: "ปวีณา", roman: "paweena" },
  { thai: "วีระพงษ์", roman: "weerapong" }, { thai: "นภัสสร", roman: "napatsorn" }, { thai: "ธีรวัฒน์", roman: "teerawat" },
  { thai: "ชนิดา", roman: "chanida" }, { thai: "พงศกร", roman: "pongsakorn" }, { thai: "รัชนี", roman: "ratchanee" },
  { thai: "ณัฐธิดา", roman: "natthida" }, { thai: "ศุภชัย", roman: "supachai" }, { thai: "มณีรัตน์", roman: "maneerat" },
  { thai: "เอกชัย", roman: "ekachai" }, { thai: "อภิชาติ", roman: "apichat" }, { thai: "ปิยะนุช", roman: "piyanuch" },
  { thai: "ธนพร", roman: "thanaporn" }, { thai: "วิทยา", roman: "wittaya" }, { thai: "สุรเชษฐ์", roman: "surachet" },
  { thai: "กัญญารัตน์", roman: "kanyarat" }, { thai: "ภัทรา", roman: "pattra" }, { thai: "ชัยวัฒน์", roman: "chaiwat" },
];

export const THAI_FAMILY_NAMES: readonly ThaiName[] = [
  { thai: "ศรีสุข", roman: "srisuk" }, { thai: "วงศ์สวัสดิ์", roman: "wongsawat" }, { thai: "แก้วมณี", roman: "kaewmanee" },
  { thai: "บุญมา", roman: "boonma" }, { thai: "สุขเจริญ", roman: "sukcharoen" }, { thai: "ทองดี", roman: "thongdee" },
  { thai: "จันทร์เพ็ญ", roman: "chanpen" }, { thai: "พรหมวงศ์", roman: "promwong" }, { thai: "รัตนพันธ์", roman: "rattanapan" },
  { thai: "ศักดิ์สิทธิ์", roman: "saksit" }, { thai: "ชัยมงคล", roman: "chaimongkol" }, { thai: "เพชรรัตน์", roman: "phetcharat" },
  { thai: "อินทรสุวรรณ", roman: "intharasuwan" }, { thai: "สมบูรณ์", roman: "somboon" }, { thai: "มหาวงศ์", roman: "mahawong" },
  { thai: "นาคสวัสดิ์", roman: "naksawat" }, { thai: "ประเสริฐสุข", roman: "prasertsuk" }, { thai: "วิเศษศักดิ์", roman: "wisetsak" },
  { thai: "เจริญผล", roman: "charoenphon" }, { thai: "ธนวัฒน์", roman: "thanawat" }, { thai: "สุวรรณรัตน์", roman: "suwannarat" },
  { thai: "พูลสวัสดิ์", roman: "poonsawat" }, { thai: "กิตติศักดิ์", roman: "kittisak" }, { thai: "ลิ้มทอง", roman: "limthong" },
];

/** Thai nicknames (chue len) many people go by online. */
export const THAI_NICKNAMES: readonly string[] = [
  "Ploy", "Bank", "Mint", "Film", "Beam", "Nam", "Pim", "Boss", "Ice", "Fern", "Tong", "Jay", "Earth", "Praew", "Gift", "Tan",
];

export interface Region {
  country: string;
  currency: string;
  given: readonly string[];
  family: readonly string[];
  /** Weight among international customers. */
  weight: number;
}

export const INTERNATIONAL_REGIONS: readonly Region[] = [
  { country: "US", currency: "usd", weight: 18, given: ["Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Madison", "Tyler"], family: ["Johnson", "Miller", "Davis", "Garcia", "Brooks", "Reed"] },
  { country: "GB", currency: "gbp", weight: 8, given: ["Oliver", "Amelia", "Harry", "Isla", "George", "Poppy"], family: ["Smith", "Taylor", "Wright", "Hughes", "Evans"] },
  { country: "DE", currency: "eur", weight: 6, given: ["Lukas", "Hannah", "Jonas", "Lea", "Felix", "Greta"], family: ["Müller", "Schmidt", "Weber", "Fischer", "Becker"] },
  { country: "FR", currency: "eur", weight: 5, given: ["Louis", "Chloé", "Hugo", "Léa", "Jules", "Camille"], family: ["Martin", "Bernard", "Dubois", "Moreau", "Laurent"] },
  { country: "JP", currency: "jpy", weight: 8, given: ["Yuki", "Haruto", "Sakura", "Ren", "Aoi", "Sota"], family: ["Sato", "Suzuki", "Takahashi", "Tanaka", "Ito"] },
  { country: "KR", currency: "usd", weight: 5, given: ["Min-jun", "Ji-woo", "Seo-yeon", "Ha-eun", "Do-hyun"], family: ["Kim", "Lee", "Park", "Choi", "Jung"] },
  { country: "SG", currency: "sgd", weight: 7, given: ["Wei Ling", "Jun Jie", "Mei", "Arjun", "Siti", "Ryan"], family: ["Tan", "Lim", "Ng", "Wong", "Rahman"] },
  { country: "AU", currency: "aud", weight: 5, given: ["Jack", "Charlotte", "Lachlan", "Matilda", "Cooper"], family: ["Wilson", "Anderson", "Thompson", "Walker"] },
  { country: "IN", currency: "usd", weight: 6, given: ["Aarav", "Priya", "Rohan", "Ananya", "Vikram"], family: ["Sharma", "Patel", "Iyer", "Reddy", "Gupta"] },
  { country: "VN", currency: "usd", weight: 4, given: ["Minh", "Linh", "Huy", "Trang", "Khoa"], family: ["Nguyen", "Tran", "Le", "Pham", "Vo"] },
  { country: "ID", currency: "usd", weight: 4, given: ["Budi", "Putri", "Agus", "Dewi", "Rizky"], family: ["Santoso", "Wijaya", "Halim", "Saputra"] },
  { country: "BR", currency: "usd", weight: 4, given: ["Lucas", "Ana", "Gabriel", "Beatriz", "Mateus"], family: ["Silva", "Souza", "Costa", "Oliveira"] },
  { country: "ES", currency: "eur", weight: 3, given: ["Carlos", "Lucía", "Pablo", "Sofía", "Javier"], family: ["García", "Fernández", "López", "Martínez"] },
];

export const THAI_EMAIL_DOMAINS = ["gmail.com", "hotmail.com", "outlook.co.th", "yahoo.co.th", "icloud.com", "gmail.com"] as const;
export const INTERNATIONAL_EMAIL_DOMAINS = ["gmail.com", "outlook.com", "icloud.com", "proton.me", "yahoo.com", "gmail.com"] as const;
export const STUDIO_EMAIL_DOMAINS = ["studio-siam.co.th", "bkkbeats.com", "pixelmango.io", "northwind-media.com", "lanna.studio"] as const;

export const RESTRICTION_REASONS: readonly string[] = [
  "Customer contests the accuracy of their profile data (PDPA s.34(1)); verifying before further processing.",
  "Objection to analytics processing received by email; processing paused while the DPO reviews it.",
  "Erasure request refused pending a legal hold; customer asked for restriction instead (PDPA s.34(4)).",
  "Customer disputes a charge; processing limited to storage until the dispute is resolved.",
];

// ------------------------------------------------------------------ generation

export type Media = "music" | "image" | "video";

export interface ModelSpec {
  model: string;
  media: Media;
  credits: number;
  weight: number;
}

export const MODELS: readonly ModelSpec[] = [
  { model: "suno-v4.5", media: "music", credits: 10, weight: 30 },
  { model: "suno-v4", media: "music", credits: 8, weight: 8 },
  { model: "suno-v3.5", media: "music", credits: 6, weight: 3 },
  { model: "nano-banana", media: "image", credits: 2, weight: 26 },
  { model: "flux-kontext-pro", media: "image", credits: 4, weight: 8 },
  { model: "gpt-image-1", media: "image", credits: 6, weight: 6 },
  { model: "ideogram-v3", media: "image", credits: 5, weight: 3 },
  { model: "seedance-1-pro", media: "video", credits: 45, weight: 7 },
  { model: "seedance-1-lite", media: "video", credits: 20, weight: 6 },
  { model: "veo3-fast", media: "video", credits: 60, weight: 2 },
  { model: "kling-v2.1", media: "video", credits: 35, weight: 2 },
];

export const MUSIC_GENRES = ["lo-fi hip hop", "synthwave", "luk thung", "mor lam", "city pop", "acoustic folk", "EDM", "orchestral", "K-pop", "jazz ballad", "phleng phuea chiwit", "drum and bass"] as const;
export const MOODS = ["dreamy", "upbeat", "melancholic", "epic", "playful", "calm", "dark", "nostalgic", "energetic"] as const;
export const TOPICS = ["rainy nights in Bangkok", "a long motorbike ride home", "first love", "a night market", "leaving the village", "the sea at Krabi", "coffee at dawn", "a city that never sleeps", "festival lanterns", "a lost cat"] as const;
export const INSTRUMENTS = ["phin", "khim", "piano", "electric guitar", "saxophone", "analog synth", "ranat ek", "strings", "808 bass"] as const;
export const VISUAL_SUBJECTS = ["a tuk-tuk in neon rain", "a golden temple at sunrise", "a cat astronaut", "a street-food vendor", "a floating market", "a cyberpunk Yaowarat alley", "an elephant made of clouds", "a product shot of iced Thai tea", "a minimalist album cover", "a mountain village in Chiang Mai fog"] as const;
export const VISUAL_STYLES = ["watercolor", "35mm film photo", "isometric 3D", "anime key visual", "oil painting", "studio product photography", "flat vector illustration", "cinematic still"] as const;
export const CAMERA_MOVES = ["slow dolly-in", "drone flyover", "handheld tracking shot", "orbit around the subject", "static wide shot", "time-lapse"] as const;
export const THAI_MUSIC_PROMPTS = [
  "เพลงลูกทุ่งจังหวะสนุก เกี่ยวกับการกลับบ้านช่วงสงกรานต์",
  "เพลงรักช้าๆ เสียงเปียโน บรรยากาศฝนตกในกรุงเทพ",
  "เพลงหมอลำประยุกต์ มีพิณนำ จังหวะเร็ว",
  "เพลงป๊อปใสๆ สำหรับโฆษณาร้านกาแฟ",
] as const;
export const THAI_VISUAL_PROMPTS = [
  "ภาพวัดอรุณตอนพระอาทิตย์ตก สไตล์สีน้ำ",
  "โปสเตอร์ชานมไทยเย็น พื้นหลังสีส้ม มินิมอล",
  "ตลาดน้ำยามเช้า ภาพถ่ายฟิล์ม",
  "แมวใส่ชุดไทยนั่งบนเรือ สไตล์อนิเมะ",
] as const;

export const PROJECT_TITLES: readonly string[] = [
  "Album artwork", "Demo tracks", "Wedding video", "Café promo", "TikTok loops", "Podcast intro", "Songkran campaign",
  "Client pitch", "Game soundtrack", "Product shots", "Music video storyboard", "Untitled project", "Lo-fi playlist",
  "โปรเจกต์เพลงใหม่", "งานลูกค้า", "ภาพโปรโมตร้าน", "คลิปรีวิวสินค้า", "Side project", "Birthday song", "Brand kit",
];

export const ASPECT_RATIOS = ["1:1", "16:9", "9:16", "4:5", "3:2"] as const;

// ------------------------------------------------------------------ payments and plans

export type Plan = "creator" | "pro" | "studio";

/** Monthly price in minor units per currency, and the credits the month grants. */
export const PLAN_PRICES: Record<Plan, { credits: number; prices: Record<string, number> }> = {
  creator: { credits: 300, prices: { thb: 29900, usd: 900, eur: 900, gbp: 800, jpy: 1400, sgd: 1200, aud: 1400 } },
  pro: { credits: 1000, prices: { thb: 89900, usd: 2900, eur: 2700, gbp: 2400, jpy: 4400, sgd: 3900, aud: 4500 } },
  studio: { credits: 4000, prices: { thb: 299000, usd: 9900, eur: 9200, gbp: 7900, jpy: 14800, sgd: 12900, aud: 14900 } },
};

export const TOP_UP_PACKS: ReadonlyArray<{ credits: number; prices: Record<string, number> }> = [
  { credits: 100, prices: { thb: 9900, usd: 300, eur: 300, gbp: 300, jpy: 450, sgd: 400, aud: 500 } },
  { credits: 500, prices: { thb: 39900, usd: 1200, eur: 1100, gbp: 1000, jpy: 1800, sgd: 1600, aud: 1800 } },
  { credits: 1200, prices: { thb: 89900, usd: 2700, eur: 2500, gbp: 2200, jpy: 4000, sgd: 3600, aud: 4100 } },
  { credits: 3000, prices: { thb: 199000, usd: 5900, eur: 5500, gbp: 4900, jpy: 8800, sgd: 7900, aud: 8900 } },
];

// ------------------------------------------------------------------ devices and errors

export const USER_AGENTS: readonly string[] = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "MFactory-iOS/3.4.1 (iPhone15,2; iOS 18.1)",
  "MFactory-Android/3.4.0 (Pixel 8; Android 15)",
];

/** Clients that call the public API directly (logs only). */
export const API_CLIENT_AGENTS: readonly string[] = ["mfactory-python/0.9.2", "mfactory-node/1.3.0", "curl/8.5.0", "okhttp/4.12.0", "PostmanRuntime/7.42.0"];

export const ERROR_SUMMARIES: readonly string[] = [
  "TypeError: Cannot read properties of undefined (reading 'duration') in GenerationPlayer",
  "KieTimeoutError: generation task exceeded 300 s (model [redacted])",
  "R2UploadError: multipart upload part 3 failed with 503",
  "StripeWebhookError: signature verification failed for event [redacted]",
  "ChunkLoadError: Loading chunk editor failed",
  "RangeError: Invalid time value in ProjectTimeline",
  "UpstashQueueError: job [redacted] re-delivered after visibility timeout",
  "AbortError: The user aborted a request (POST /v1/generations)",
  "ValidationError: prompt exceeds 3000 characters for user [redacted]",
];

/** Public API surface as seen in the request logs: `METHOD path`, weighted by how often it is called. */
export const API_ENDPOINTS: ReadonlyArray<readonly [string, number]> = [
  ["POST /v1/generations", 22],
  ["GET /v1/generations", 14],
  ["GET /v1/generations/{id}", 20],
  ["GET /v1/projects", 10],
  ["POST /v1/projects", 3],
  ["PATCH /v1/projects/{id}", 2],
  ["DELETE /v1/projects/{id}", 1],
  ["POST /v1/uploads", 4],
  ["GET /v1/assets/{id}/download", 8],
  ["GET /v1/credits/balance", 9],
  ["POST /v1/checkout/sessions", 2],
  ["GET /v1/me", 5],
];

/** HTTP statuses with their weights; the success code per method is decided in SQL. */
export const API_STATUSES: ReadonlyArray<readonly [number, number]> = [
  [0, 900], // placeholder: "success" (200, or 201 for POST)
  [400, 25],
  [401, 15],
  [402, 12],
  [404, 18],
  [429, 20],
  [500, 6],
  [502, 4],
];

/** Notes staff wrote on the refunds of the seeded history (reason requested_by_customer). */
export const REFUND_NOTES: readonly string[] = [
  "Customer asked for a refund by email within the 14-day window.",
  "Charged after cancelling; customer asked for the money back.",
  "Customer unhappy with the generated results; refunded as agreed in the support ticket.",
  "Accidental purchase reported the same week; refunded.",
  "Bought the wrong pack; refund agreed in chat.",
  "Renewal the customer did not expect; refunded after the support call.",
];
