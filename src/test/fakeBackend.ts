/**
 * A stand-in for the embedded server at the fetch boundary: it answers the URLs supabase-js and the sign-in
 * page really send, and records them, so component tests exercise the real providers end to end in the browser
 * code while asserting on the exact PostgREST queries.
 */
import { MAX_ROWS } from "../lib/readAll";

export const TEST_API_URL = "http://127.0.0.1:54321";

export interface FakeStaff {
  email: string;
  display_name: string;
  roles: string[];
  token: string;
  id: string;
}

export const FAKE_STAFF: FakeStaff[] = ["dpo", "support", "finance", "admin", "auditor"].map((role, index) => ({
  email: `${role}@m-factory.test`,
  display_name: `${role[0]!.toUpperCase()}${role.slice(1)} Person`,
  roles: [role],
  token: `token-${role}`,
  id: `00000000-0000-4000-8000-00000000000${index}`,
}));

export interface RecordedRequest {
  method: string;
  url: URL;
  path: string;
  headers: Headers;
  body: string | null;
}

type TableRows = Record<string, Record<string, unknown>[]>;

export interface FakeBackendOptions {
  /** Rows per table/view, already as the given role would see them (the fake does not implement RLS). */
  rowsFor?: (role: string) => TableRows;
  /** Make a path fail with this status and PostgREST-shaped body. */
  failures?: Record<string, { status: number; code: string; message: string }>;
  /** current_staff answers null (signed in, but not active staff). */
  notStaff?: boolean;
  /** Hold some answers back (ms) to observe loading states. */
  delayFor?: (url: URL) => number;
}

/**
 * PostgREST's answer to a read of `rows` (already filtered and ordered): the `offset`/`limit` page, never more than
 * max_rows (hosted Supabase cuts every read and set-returning rpc there, so the fakes do too), with Content-Range;
 * no body for HEAD, one object (or null) for `Accept: application/vnd.pgrst.object+json`. Every fake answers reads here.
 */
export function answerRead(rows: readonly unknown[], url: URL, method: string, headers: Headers): Response {
  const offset = Number(url.searchParams.get("offset") ?? 0);
  const limit = Math.min(Number(url.searchParams.get("limit") ?? MAX_ROWS), MAX_ROWS);
  const page = rows.slice(offset, offset + limit);
  const range = page.length > 0 ? `${offset}-${offset + page.length - 1}` : "*";
  const single = headers.get("Accept") === "application/vnd.pgrst.object+json";
  const body = method === "HEAD" ? null : JSON.stringify(single ? (page[0] ?? null) : page);
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json", "Content-Range": `${range}/${rows.length}` } });
}

function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { "Content-Type": "application/json", ...(init.headers ?? {}) },
  });
}

export function createFakeBackend(options: FakeBackendOptions = {}) {
  const requests: RecordedRequest[] = [];

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const body = typeof init?.body === "string" ? init.body : null;
    requests.push({ method, url, path: url.pathname, headers, body });
    const delay = options.delayFor?.(url) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

    const failure = options.failures?.[url.pathname];
    if (failure) return json({ code: failure.code, message: failure.message, details: null, hint: null }, { status: failure.status });

    if (url.pathname === "/embedded/v1/staff" && method === "GET") {
      return json(FAKE_STAFF.map(({ email, display_name, roles }) => ({ email, display_name, roles })));
    }
    if (url.pathname === "/embedded/v1/token" && method === "POST") {
      const { email } = JSON.parse(body ?? "{}") as { email?: string };
      const member = FAKE_STAFF.find((s) => s.email === email);
      if (!member) return json({ message: `No staff member ${String(email)}` }, { status: 404 });
      return json({ access_token: member.token, expires_at: Math.floor(Date.now() / 1000) + 3600 });
    }

    const token = headers.get("Authorization")?.replace(/^Bearer /, "");
    const member = FAKE_STAFF.find((s) => s.token === token);
    if (!member) return json({ code: "PGRST301", message: "JWT invalid", details: null, hint: null }, { status: 401 });

    if (url.pathname === "/rest/v1/rpc/current_staff") {
      if (options.notStaff) return json(null);
      return json({ id: member.id, email: member.email, display_name: member.display_name, clerk_user_id: `user_${member.roles[0]}`, roles: member.roles });
    }

    const table = url.pathname.replace(/^\/rest\/v1\//, "");
    const rows = options.rowsFor?.(member.roles[0]!)?.[table];
    if (!rows) return json({ code: "42501", message: `permission denied for ${table}`, details: null, hint: null }, { status: 403 });

    // Just enough PostgREST for the tests: eq filters on plain columns, offset/limit under max_rows, exact count.
    let result = rows;
    for (const [key, value] of url.searchParams) {
      if (["select", "offset", "limit", "order", "or"].includes(key)) continue;
      if (value.startsWith("eq.")) result = result.filter((row) => String(row[key]) === value.slice(3));
    }
    return answerRead(result, url, method, headers);
  };

  return {
    fetch: fetchImpl,
    requests,
    requestsTo(path: string) {
      return requests.filter((r) => r.path === path);
    },
  };
}

export function signInAs(role: string, storage: Storage = window.sessionStorage) {
  const member = FAKE_STAFF.find((s) => s.roles.includes(role));
  if (!member) throw new Error(`no fake staff member with role ${role}`);
  storage.setItem(
    "m-factory.embedded-session",
    JSON.stringify({ accessToken: member.token, expiresAtMs: Date.now() + 3_600_000, email: member.email }),
  );
}
