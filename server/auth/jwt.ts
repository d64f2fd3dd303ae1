/**
 * HS256 tokens for the embedded server, shaped like a Clerk session token so that RLS
 * written for production (`auth.jwt()->>'sub'`) behaves the same locally.
 * node:crypto only; the verifier accepts exactly one algorithm and never trusts the header.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** The database roles a token may switch to, as on Supabase. */
export const API_ROLES = ["anon", "authenticated", "service_role"] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface TokenClaims {
  [claim: string]: unknown;
  role: ApiRole;
  iat: number;
  exp: number;
  nbf?: number;
  sub?: string;
  iss?: string;
  sid?: string;
}

/** Why a token was refused; the message goes to the client as-is, so it names the problem only. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenError";
  }
}

export const TOKEN_ISSUER = "http://127.0.0.1:54321/embedded";
/** Seconds of clock skew tolerated on exp/nbf, as most JWT libraries do. */
const CLOCK_SKEW_SECONDS = 5;
const MIN_SECRET_BYTES = 32;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

function hmac(secret: string, signingInput: string): Buffer {
  return createHmac("sha256", secret).update(signingInput).digest();
}

export function signToken(claims: TokenClaims, secret: string): string {
  assertUsableSecret(secret);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = base64url(hmac(secret, `${header}.${payload}`));
  return `${header}.${payload}.${signature}`;
}

function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new TokenError(`JWT ${what} is not base64url`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    throw new TokenError(`JWT ${what} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new TokenError(`JWT ${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Verifies signature, algorithm, time window and role; returns the claims or throws TokenError. */
export function verifyToken(token: string, secret: string, now: number = nowSeconds()): TokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new TokenError("JWT is malformed: expected three dot-separated parts");
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = decodeJsonSegment(headerPart, "header");
  // Only HS256: "none", HS512, RS256… are refused before any signature logic runs.
  if (header.alg !== "HS256") throw new TokenError(`JWT algorithm ${JSON.stringify(header.alg ?? null)} is not allowed`);
  if (!/^[A-Za-z0-9_-]+$/.test(signaturePart)) throw new TokenError("JWT signature is not base64url");
  const expected = hmac(secret, `${headerPart}.${payloadPart}`);
  const given = Buffer.from(signaturePart, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TokenError("JWT signature is invalid");
  }
  const claims = decodeJsonSegment(payloadPart, "payload");
  if (typeof claims.exp !== "number") throw new TokenError("JWT has no exp claim");
  if (now > claims.exp + CLOCK_SKEW_SECONDS) throw new TokenError("JWT expired");
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== "number") throw new TokenError("JWT nbf claim is not a number");
    if (now + CLOCK_SKEW_SECONDS < claims.nbf) throw new TokenError("JWT is not valid yet (nbf)");
  }
  if (claims.iat !== undefined && typeof claims.iat !== "number") throw new TokenError("JWT iat claim is not a number");
  if (typeof claims.role !== "string" || !(API_ROLES as readonly string[]).includes(claims.role)) {
    throw new TokenError(`JWT role ${JSON.stringify(claims.role ?? null)} is not allowed`);
  }
  if (claims.role === "authenticated" && (typeof claims.sub !== "string" || claims.sub === "")) {
    throw new TokenError("JWT for role authenticated has no sub claim");
  }
  return claims as TokenClaims;
}

/** exp and nbf against `now`, with the tolerated skew, for claims verifyToken accepted (both numbers). */
function assertTimeWindow(claims: { exp: number; nbf?: number }, now: number): void {
  if (now > claims.exp + CLOCK_SKEW_SECONDS) throw new TokenError("JWT expired");
  if (claims.nbf !== undefined && now + CLOCK_SKEW_SECONDS < claims.nbf) throw new TokenError("JWT is not valid yet (nbf)");
}

/**
 * verifyToken with a memory of the tokens it accepted: a client sends the same token with every request, and checking
 * its signature and decoding it again each time was a fixed cost of every request. A remembered token is the exact
 * text that passed every check under this verifier's secret; its time window (exp, nbf) is checked again on each use,
 * so an expired token is refused as before (and forgotten). Refused tokens are never remembered. At most `capacity`
 * tokens are kept, the oldest forgotten first. The claims handed out are frozen: requests share them.
 */
export class TokenVerifier {
  private readonly accepted = new Map<string, TokenClaims>();

  constructor(private readonly secret: string, private readonly capacity = 1000) {}

  verify(token: string, now: number = nowSeconds()): TokenClaims {
    const known = this.accepted.get(token);
    if (known) {
      try {
        assertTimeWindow(known, now);
      } catch (err) {
        this.accepted.delete(token);
        throw err;
      }
      return known;
    }
    const claims = Object.freeze(verifyToken(token, this.secret, now));
    if (this.accepted.size >= this.capacity) {
      const oldest = this.accepted.keys().next();
      if (!oldest.done) this.accepted.delete(oldest.value);
    }
    this.accepted.set(token, claims);
    return claims;
  }

  /** How many accepted tokens are remembered (tests). */
  get size(): number {
    return this.accepted.size;
  }
}

function assertUsableSecret(secret: string): void {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new Error(`JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
}

export function generateSecret(): string {
  return randomBytes(48).toString("base64url");
}

/** Reads the secret kept in the data dir, creating it (mode 0600) on first start. */
export async function loadOrCreateSecret(file: string): Promise<string> {
  try {
    const secret = (await readFile(file, "utf8")).trim();
    assertUsableSecret(secret);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const secret = generateSecret();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" }).catch(async (err: NodeJS.ErrnoException) => {
    // Another process created it first: use theirs so both agree.
    if (err.code !== "EEXIST") throw err;
  });
  return (await readFile(file, "utf8")).trim();
}

export interface StaffTokenSubject {
  clerkUserId: string;
  email: string;
}

export const STAFF_TOKEN_TTL_SECONDS = 8 * 60 * 60;

/** A session token like Clerk's: sub is the Clerk user id, sid a session id. */
export function issueStaffToken(
  staff: StaffTokenSubject,
  secret: string,
  options: { ttlSeconds?: number; now?: number } = {},
): { token: string; claims: TokenClaims } {
  const iat = options.now ?? nowSeconds();
  const claims: TokenClaims = {
    sub: staff.clerkUserId,
    email: staff.email,
    role: "authenticated",
    iat,
    nbf: iat,
    exp: iat + (options.ttlSeconds ?? STAFF_TOKEN_TTL_SECONDS),
    iss: TOKEN_ISSUER,
    sid: `sess_${randomBytes(12).toString("hex")}`,
  };
  return { token: signToken(claims, secret), claims };
}

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 60 * 60;

/** The anon key supabase-js is created with, as on a Supabase project (role anon, long-lived). */
export function issueAnonKey(secret: string, now: number = nowSeconds()): string {
  return signToken({ role: "anon", iss: TOKEN_ISSUER, iat: now, exp: now + TEN_YEARS_SECONDS }, secret);
}

/** For function handlers running inside the server only; never sent to a browser. */
export function issueServiceRoleToken(secret: string, now: number = nowSeconds()): string {
  return signToken({ role: "service_role", iss: TOKEN_ISSUER, iat: now, exp: now + 60 * 60 }, secret);
}

/** Bearer token from an Authorization header value, or null when absent/not Bearer. */
export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}
