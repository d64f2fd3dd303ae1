/**
 * A fresh idempotency key (a v4 UUID; the database takes 8–200 of [A-Za-z0-9_.:-]) for one opening of a money
 * form, reused by every retry of that submit. crypto.randomUUID exists only in secure contexts (https, localhost);
 * the console may also be opened over plain http on a LAN address, where the UUID is built from getRandomValues.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
