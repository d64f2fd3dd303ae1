/**
 * Tokens: every bad-token case is a 401 JSON error before any SQL runs (checked by a write that would
 * otherwise happen), and the pure signing/verification rules of server/auth/jwt.ts.
 */
import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bearerToken, generateSecret, issueAnonKey, issueServiceRoleToken, issueStaffToken, loadOrCreateSecret, signToken,
  TokenError, verifyToken,
} from "../../server/auth/jwt.ts";
import { ALICE, startHarness } from "./harness.ts";
import { openBeforeAll } from "../helpers/lifecycle.ts";

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = (): number => Math.floor(Date.now() / 1000);

/** A token with any header/payload, signed with HMAC-SHA256/512 or unsigned. */
function forge(header: object, payload: object, secret: string | null, hash: "sha256" | "sha512" = "sha256"): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = secret === null ? "" : createHmac(hash, secret).update(input).digest("base64url");
  return `${input}.${signature}`;
}

const aliceClaims = () => ({ sub: ALICE.clerkUserId, role: "authenticated", iat: now(), exp: now() + 600 });

const h = openBeforeAll(startHarness);
let secret: string;

beforeAll(async () => {
  secret = h.server.jwtSecret;
});

describe("bad tokens → 401, nothing returned, no SQL sent", () => {
  const cases: { name: string; authorization: () => string | null }[] = [
    { name: "missing Authorization", authorization: () => null },
    { name: "not a Bearer scheme", authorization: () => `Basic ${Buffer.from("a:b").toString("base64")}` },
    { name: "garbage", authorization: () => "Bearer not-a-jwt" },
    { name: "three parts of garbage", authorization: () => "Bearer aaa.bbb.ccc" },
    { name: "expired", authorization: () => `Bearer ${forge({ alg: "HS256", typ: "JWT" }, { ...aliceClaims(), iat: now() - 7200, exp: now() - 3600 }, secret)}` },
    { name: "nbf in the future", authorization: () => `Bearer ${forge({ alg: "HS256", typ: "JWT" }, { ...aliceClaims(), nbf: now() + 3600 }, secret)}` },
    { name: "no exp claim", authorization: () => `Bearer ${forge({ alg: "HS256" }, { sub: ALICE.clerkUserId, role: "authenticated" }, secret)}` },
    {
      name: "tampered payload (sub swapped after signing)",
      authorization: () => {
        const [header, , signature] = forge({ alg: "HS256", typ: "JWT" }, aliceClaims(), secret).split(".");
        return `Bearer ${header}.${b64({ ...aliceClaims(), sub: "user_bob" })}.${signature}`;
      },
    },
    { name: "signed with another secret", authorization: () => `Bearer ${forge({ alg: "HS256", typ: "JWT" }, aliceClaims(), generateSecret())}` },
    { name: "alg none (unsigned)", authorization: () => `Bearer ${forge({ alg: "none", typ: "JWT" }, aliceClaims(), null)}` },
    { name: "alg none with a signature copied in", authorization: () => `Bearer ${forge({ alg: "none" }, aliceClaims(), secret)}` },
    { name: "alg HS512 (not allowed)", authorization: () => `Bearer ${forge({ alg: "HS512", typ: "JWT" }, aliceClaims(), secret, "sha512")}` },
    { name: "role not allowed (postgres)", authorization: () => `Bearer ${forge({ alg: "HS256" }, { ...aliceClaims(), role: "postgres" }, secret)}` },
    { name: "role claim missing", authorization: () => `Bearer ${forge({ alg: "HS256" }, { sub: ALICE.clerkUserId, exp: now() + 60 }, secret)}` },
    { name: "authenticated without sub", authorization: () => `Bearer ${forge({ alg: "HS256" }, { role: "authenticated", exp: now() + 60 }, secret)}` },
  ];

  for (const c of cases) {
    it(`${c.name} → 401 JSON error, no statement sent, nothing inserted`, async () => {
      const before = await h.engine.query<{ n: number }>("select count(*)::int as n from public.notes");
      const statementsBefore = h.serverStatements();
      const authorization = c.authorization();
      const res = await h.rest("notes?select=*", {
        token: null,
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Prefer: "return=representation",
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: JSON.stringify({ owner_sub: ALICE.clerkUserId, body: `via ${c.name}` }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(["code", "details", "hint", "message"]);
      expect(String(body.code)).toMatch(/^PGRST30[123]$/);
      expect(h.serverStatements()).toBe(statementsBefore);
      const after = await h.engine.query<{ n: number }>("select count(*)::int as n from public.notes");
      expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    });
  }

  it("a bad token on GET returns no rows either", async () => {
    const res = await h.rest("books?select=*", { token: "Bearer-less.garbage.token" });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain("Rice and Rain");
  });

  it("the same request with a valid token succeeds and does reach the database (the counter works)", async () => {
    const statementsBefore = h.serverStatements();
    const res = await h.rest("notes?select=body", {
      method: "POST",
      headers: { "Content-Type": "application/json", Prefer: "return=representation" },
      body: JSON.stringify({ owner_sub: ALICE.clerkUserId, body: "valid token" }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual([{ body: "valid token" }]);
    expect(h.serverStatements()).toBeGreaterThan(statementsBefore);
  });

  it("an expired token is reported as expired (PGRST303)", async () => {
    const expired = forge({ alg: "HS256" }, { ...aliceClaims(), exp: now() - 3600 }, secret);
    const res = await h.rest("books", { token: expired });
    expect(await res.json()).toMatchObject({ code: "PGRST303", message: "JWT expired" });
  });
});

describe("server/auth/jwt.ts", () => {
  const key = generateSecret();

  it("issues Clerk-shaped staff tokens that verify", () => {
    const { token, claims } = issueStaffToken(ALICE, key, { now: 1_800_000_000, ttlSeconds: 60 });
    expect(claims).toMatchObject({ sub: ALICE.clerkUserId, role: "authenticated", iat: 1_800_000_000, nbf: 1_800_000_000, exp: 1_800_000_060 });
    expect(claims.sid).toMatch(/^sess_[0-9a-f]{24}$/);
    expect(typeof claims.iss).toBe("string");
    expect(verifyToken(token, key, 1_800_000_030)).toEqual(claims);
  });
  it("header is HS256/JWT", () => {
    const [header] = signToken({ role: "anon", iat: 1, exp: 2 }, key).split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
  });
  it("refuses after exp (beyond a 5 s skew) and before nbf", () => {
    const { token } = issueStaffToken(ALICE, key, { now: 1000, ttlSeconds: 60 });
    expect(() => verifyToken(token, key, 1066)).toThrow(TokenError);
    expect(() => verifyToken(token, key, 1064)).not.toThrow();
    expect(() => verifyToken(token, key, 990)).toThrow(/not valid yet/);
  });
  it("anon and service-role keys carry their roles", () => {
    expect(verifyToken(issueAnonKey(key), key).role).toBe("anon");
    expect(verifyToken(issueServiceRoleToken(key), key).role).toBe("service_role");
  });
  it("refuses secrets shorter than 32 bytes", () => {
    expect(() => signToken({ role: "anon", iat: 1, exp: 2 }, "short")).toThrow(/at least 32 bytes/);
  });
  it("bearerToken extracts only Bearer credentials", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
  it("loadOrCreateSecret creates a 0600 secret once and then reuses it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "mfc-secret-"));
    try {
      const file = path.join(dir, "nested", "jwt-secret");
      const first = await loadOrCreateSecret(file);
      const second = await loadOrCreateSecret(file);
      expect(second).toBe(first);
      expect(first.length).toBeGreaterThanOrEqual(43);
      expect((await readFile(file, "utf8")).trim()).toBe(first);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
