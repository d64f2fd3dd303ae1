/**
 * A stand-in for the embedded server at the fetch boundary: it answers the URLs supabase-js and the sign-in
 * page really send, and records them, so component tests exercise the real providers end to end in the browser
 * code while asserting on the exact PostgREST queries.
 *
 * What it answers: the demo sign-in (`/embedded/v1/staff`, `/token`), `current_staff`, table and view reads with
 * PostgREST filtering, ordering and paging (postgrest.ts, `answerRead`), every other RPC through the test's `rpc`
 * handler and every edge function through its `functions` handler. It does not implement RLS: `rowsFor(role)`
 * gives the rows as that role would see them.
 */
import { MAX_ROWS } from "../lib/readAll";
import { applyQuery, projectRows, UnsupportedQuery, type FixtureRow } from "./postgrest";

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

/** The fake staff member holding `role`. */
export function staffOf(role: string): FakeStaff {
  const member = FAKE_STAFF.find((s) => s.roles.includes(role));
  if (!member) throw new Error(`no fake staff member with role ${role}`);
  return member;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  path: string;
  headers: Headers;
  body: string | null;
}

export type TableRows = Record<string, Record<string, unknown>[]>;

/**
 * A test's answer to an RPC or edge function call. `rows` answers a set-returning function: paged and capped at
 * max_rows like a table read (HEAD counts it); `body` is sent as it is. `delayMs` holds the answer back.
 */
export type RpcAnswer = { status?: number; delayMs?: number } & ({ body: unknown } | { rows: readonly unknown[] });
/** Answers `fn(args)`, or undefined for a function this test does not expect (a 404, as PostgREST's PGRST202). */
export type RpcHandler = (fn: string, args: Record<string, unknown>) => RpcAnswer | undefined;
export type FunctionHandler = (name: string, method: string, body: unknown) => RpcAnswer | undefined;

export interface RpcCall {
  fn: string;
  /** POST: the JSON body; GET/HEAD (a count of a set-returning function): the `p_*` query parameters. */
  args: Record<string, unknown>;
  role: string;
  method: string;
}

export interface FunctionCall {
  name: string;
  method: string;
  body: unknown;
  /** The signed-in caller's role; null when the call carried no staff token. */
  role: string | null;
}

export interface FakeBackendOptions {
  /** Rows per table/view, already as the given role would see them (the fake does not implement RLS). */
  rowsFor?: (role: string) => TableRows;
  /** Answers `/rest/v1/rpc/<fn>` (other than current_staff); each call is recorded in `rpcCalls`. */
  rpc?: RpcHandler;
  /** Answers `/functions/v1/<name>`; each call is recorded in `functionCalls`. */
  functions?: FunctionHandler;
  /** Make a path fail with this status and PostgREST-shaped body. */
  failures?: Record<string, { status: number; code: string; message: string }>;
  /** current_staff answers null (signed in, but not active staff). */
  notStaff?: boolean;
  /** Hold some answers back (ms) to observe loading states. */
  delayFor?: (url: URL) => number;
}

/**
 * PostgREST's answer to a read of `rows` (already filtered and ordered): the `offset`/`limit` page, never more than
 * max_rows (hosted Supabase cuts every read and set-returning rpc there, so the fake does too), with Content-Range;
 * no body for HEAD, one object (or null) for `Accept: application/vnd.pgrst.object+json`.
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

/** PostgREST's answer when a function raises: `status` with the error body (`code` is the SQLSTATE or PTxxx). */
export function rpcError(status: number, code: string, message: string): { status: number; body: unknown } {
  return { status, body: { code, message, details: null, hint: null } };
}

/** Answers calls of `fn` with `reply`; any other function is one the test does not expect. */
export function answerRpc(fn: string, reply: RpcAnswer): RpcHandler {
  return (called) => (called === fn ? reply : undefined);
}

function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { "Content-Type": "application/json", ...(init.headers ?? {}) },
  });
}

function postgrestError(status: number, code: string, message: string): Response {
  return json(rpcError(status, code, message).body, { status });
}

async function answer(reply: RpcAnswer, url: URL, method: string, headers: Headers): Promise<Response> {
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  if ("rows" in reply && (reply.status ?? 200) === 200) return answerRead(reply.rows, url, method, headers);
  return json("rows" in reply ? reply.rows : reply.body, { status: reply.status ?? 200 });
}

function parseBody(body: string | null): unknown {
  return body ? (JSON.parse(body) as unknown) : null;
}

export function createFakeBackend(options: FakeBackendOptions = {}) {
  const requests: RecordedRequest[] = [];
  const rpcCalls: RpcCall[] = [];
  const functionCalls: FunctionCall[] = [];

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input));
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers ?? request?.headers ?? undefined);
    const body = typeof init?.body === "string" ? init.body : null;
    requests.push({ method, url, path: url.pathname, headers, body });
    const delay = options.delayFor?.(url) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

    const failure = options.failures?.[url.pathname];
    if (failure) return postgrestError(failure.status, failure.code, failure.message);

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

    // Edge functions check the caller themselves (a missing token is theirs to refuse), so they come before auth.
    if (url.pathname.startsWith("/functions/v1/")) {
      const name = url.pathname.slice("/functions/v1/".length);
      const parsed = parseBody(body);
      functionCalls.push({ name, method, body: parsed, role: member?.roles[0] ?? null });
      const reply = options.functions?.(name, method, parsed);
      if (!reply) return json({ code: "not_found", message: `function ${name} is not stubbed in this test` }, { status: 404 });
      return answer(reply, url, method, headers);
    }

    if (!member) return postgrestError(401, "PGRST301", "JWT invalid");
    const role = member.roles[0]!;

    if (url.pathname === "/rest/v1/rpc/current_staff") {
      if (options.notStaff) return json(null);
      return json({ id: member.id, email: member.email, display_name: member.display_name, clerk_user_id: `user_${role}`, roles: member.roles });
    }

    if (url.pathname.startsWith("/rest/v1/rpc/")) {
      const fn = url.pathname.slice("/rest/v1/rpc/".length);
      const args =
        method === "POST"
          ? ((parseBody(body) ?? {}) as Record<string, unknown>)
          : Object.fromEntries([...url.searchParams].filter(([key]) => key.startsWith("p_")));
      rpcCalls.push({ fn, args, role, method });
      const reply = options.rpc?.(fn, args);
      if (!reply) return postgrestError(404, "PGRST202", `Could not find the function public.${fn} (not stubbed in this test)`);
      return answer(reply, url, method, headers);
    }

    const table = url.pathname.replace(/^\/rest\/v1\//, "");
    const rows = options.rowsFor?.(role)?.[table];
    if (!rows) return postgrestError(403, "42501", `permission denied for ${table}`);
    let result: FixtureRow[];
    try {
      result = applyQuery(rows, url.searchParams);
    } catch (error) {
      if (error instanceof UnsupportedQuery) return postgrestError(400, "PGRST100", error.message);
      throw error;
    }
    return answerRead(method === "GET" ? projectRows(result, url.searchParams.get("select")) : result, url, method, headers);
  };

  return {
    fetch: fetchImpl,
    requests,
    /** Every RPC call other than current_staff, in order, with its arguments and the caller's role. */
    rpcCalls,
    /** Every edge function call, in order. */
    functionCalls,
    requestsTo(path: string) {
      return requests.filter((r) => r.path === path);
    },
    /** The query parameters of the last GET of `table` (`/rest/v1/<table>`). */
    lastQuery(table: string): URLSearchParams {
      const gets = requests.filter((r) => r.path === `/rest/v1/${table}` && r.method === "GET");
      if (gets.length === 0) throw new Error(`no GET of ${table}`);
      return gets[gets.length - 1]!.url.searchParams;
    },
  };
}

export type FakeBackend = ReturnType<typeof createFakeBackend>;

export function signInAs(role: string, storage: Storage = window.sessionStorage) {
  const member = staffOf(role);
  storage.setItem(
    "m-factory.embedded-session",
    JSON.stringify({ accessToken: member.token, expiresAtMs: Date.now() + 3_600_000, email: member.email }),
  );
}
