/**
 * The embedded server's HTTP surface (node:http, no framework): /rest/v1 (PostgREST subset),
 * /functions/v1 (supabase/functions handlers), and, only with demo sign-in, /embedded/v1 (staff list
 * and token issuing for the sign-in page). CORS for the Vite dev and preview origins.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Tables } from "../src/lib/database.types.ts";
import type { Engine } from "./db/engine.ts";
import { bearerToken, issueStaffToken, TokenError, TokenVerifier, type TokenClaims } from "./auth/jwt.ts";
import { RestService, type RestOptions, type RestResponse } from "./rest/handler.ts";
import type { FunctionRegistry } from "./functions.ts";
import { appOrigins, DEFAULT_APP_PORT, DEFAULT_PREVIEW_PORT } from "./config.ts";

/** The console's default dev and preview origins; startEmbeddedServer passes those of MFC_APP_PORT. */
export const DEFAULT_ALLOWED_ORIGINS = appOrigins({ appPort: DEFAULT_APP_PORT, previewPort: DEFAULT_PREVIEW_PORT });

const ALLOWED_HEADERS = [
  "authorization", "apikey", "content-type", "prefer", "range", "range-unit", "accept", "accept-profile",
  "content-profile", "x-client-info", "x-retry-count", "x-supabase-api-version",
].join(", ");
const EXPOSED_HEADERS = "content-range, content-profile, preference-applied, location";
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The request line's URL and the headers together are refused above these (414 / 431, with a JSON body). */
export const MAX_URL_BYTES = 16 * 1024;
export const MAX_HEADER_BYTES = 16 * 1024;
/** Node's own parser limit, set above ours so that ours answers first; beyond it `clientError` answers. */
const PARSER_HEADER_LIMIT = 64 * 1024;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export interface AppOptions {
  engine: Engine;
  jwtSecret: string;
  functions: FunctionRegistry;
  /** Serves /embedded/v1 (staff list + tokens). Never in production. */
  demoSignIn: boolean;
  allowedOrigins?: string[];
  log?: (message: string) => void;
  /** Log one line per request (method, path, status, ms); `MFC_API_LOG=1` turns it on for the dev server. */
  logRequests?: boolean;
  /** max_rows and exposed schemas (the server passes supabase/config.toml's); none given: no row cap, public only. */
  rest?: Partial<RestOptions>;
}

export interface EmbeddedApp {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  rest: RestService;
}

/** An active staff member and their roles (staff_roles.role as text), as the sign-in page lists them. */
type StaffRow = Pick<Tables<"staff_members">, "email" | "display_name" | "clerk_user_id"> & { roles: string[] };

const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const hostname = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  return LOOPBACK_HOSTNAMES.has((hostname ?? "").toLowerCase());
}

class HttpError extends Error {
  constructor(
    readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {},
    readonly details: string | null = null,
  ) {
    super(message);
  }
}

/**
 * URLSearchParams turns malformed percent-encoding and invalid UTF-8 into U+FFFD without a word; PostgREST refuses
 * such a query string, and so does this server (400), so nothing is ever filtered or stored with altered text.
 */
function assertQueryIsUtf8(url: URL): void {
  for (const part of url.search.slice(1).split("&")) {
    try {
      decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      throw new HttpError(400, "PGRST100", `"failed to parse query parameter" (${part.slice(0, 80)})`, {},
        "Invalid percent-encoding or invalid UTF-8 in the query string");
    }
  }
}

/** Whether the request frames a body at all (RFC 9112 §6.3: Transfer-Encoding, or a non-zero Content-Length). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length.trim() !== "0");
}

/** Request line and header sizes as the client sent them (Node keeps raw header pairs). */
function oversizedRequestError(req: IncomingMessage): HttpError | null {
  if (Buffer.byteLength(req.url ?? "", "latin1") > MAX_URL_BYTES) {
    return new HttpError(414, "PGRST100", `URI too long: the request URL is over ${MAX_URL_BYTES} bytes`, {},
      "Send long filters in a POST to an rpc function, or page with fewer ids per request");
  }
  const headerBytes = req.rawHeaders.reduce((n, part) => n + Buffer.byteLength(part, "latin1") + 2, 0);
  if (headerBytes > MAX_HEADER_BYTES) {
    return new HttpError(431, "PGRST100", `Request header fields too large: over ${MAX_HEADER_BYTES} bytes of headers`);
  }
  return null;
}

/**
 * What Node's HTTP parser refuses never reaches the listener; answer it in the API's JSON shape instead of a bare
 * status line (a URL with raw non-ASCII bytes, headers beyond the parser's limit, a malformed request).
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const [status, reason, message] = err.code === "HPE_HEADER_OVERFLOW"
    ? [431, "Request Header Fields Too Large", `Request header fields too large: over ${PARSER_HEADER_LIMIT} bytes in the request line and headers`]
    : err.code === "HPE_INVALID_URL"
      ? [400, "Bad Request", "Malformed request URL: characters outside ASCII must be percent-encoded UTF-8"]
      : [400, "Bad Request", `Malformed HTTP request (${err.code ?? "parse error"})`];
  const body = JSON.stringify({ code: "PGRST100", message, details: null, hint: null });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The embedded server's HTTP server: our size limits first, and JSON answers to what the parser refuses. */
export function createHttpServer(listener: EmbeddedApp["listener"]): Server {
  const server = createServer({ maxHeaderSize: PARSER_HEADER_LIMIT }, listener);
  server.on("clientError", answerClientError);
  return server;
}

export function createApp(options: AppOptions): EmbeddedApp {
  const rest = new RestService(options.engine, options.rest);
  const tokens = new TokenVerifier(options.jwtSecret);
  const origins = new Set(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS);
  const log = options.log ?? (() => undefined);

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin || !origins.has(origin)) return { Vary: "Origin" };
    return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED_HEADERS, Vary: "Origin" };
  }

  function send(
    req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Uint8Array | null, statusText?: string,
  ): void {
    if (statusText) res.writeHead(status, statusText, { ...corsHeaders(req), ...headers });
    else res.writeHead(status, { ...corsHeaders(req), ...headers });
    res.end(req.method === "HEAD" ? undefined : (body ?? undefined));
  }

  function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    send(req, res, status, { "Content-Type": "application/json; charset=utf-8", ...headers }, JSON.stringify(value));
  }

  /** Verifies the bearer token; every failure is a 401 before any SQL runs. */
  function authenticate(req: IncomingMessage): TokenClaims {
    const raw = req.headers.authorization;
    const token = bearerToken(raw);
    if (!token) {
      throw new HttpError(401, "PGRST302", raw ? "Authorization header is not a Bearer token" : "Missing Authorization: Bearer <token>", {
        "WWW-Authenticate": "Bearer",
      });
    }
    try {
      return tokens.verify(token);
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      const expired = err.message === "JWT expired";
      throw new HttpError(401, expired ? "PGRST303" : "PGRST301", err.message, {
        "WWW-Authenticate": `Bearer error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"`,
      });
    }
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, "PGRST413", `Request body larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const claims = authenticate(req);
    assertQueryIsUtf8(url);
    let body: string;
    try {
      // A request without a body (every GET and HEAD the console sends) skips the stream reader's ticks.
      body = hasBody(req) ? strictUtf8.decode(await readBody(req)) : "";
    } catch (err) {
      if (err instanceof HttpError) throw err;
      // PostgREST cannot read such a body as JSON either; nothing is stored with U+FFFD in place of the bytes.
      throw new HttpError(400, "PGRST102", "Empty or invalid json", {}, "The request body is not valid UTF-8");
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    const result: RestResponse = await rest.handle({
      method: req.method ?? "GET",
      path: url.pathname.slice("/rest/v1/".length),
      query: url.searchParams,
      headers,
      body,
      claims,
    });
    if (result.status >= 500) log(`${req.method} ${url.pathname}${url.search} → ${result.status} ${result.body ?? ""}`);
    send(req, res, result.status, result.headers, result.body, result.statusText);
  }

  async function listStaff(): Promise<StaffRow[]> {
    const { rows } = await options.engine.query<StaffRow>(
      `select s.email, s.display_name, s.clerk_user_id,
              coalesce(array_agg(r.role::text order by r.role::text) filter (where r.role is not null), '{}') as roles
         from public.staff_members s left join public.staff_roles r on r.staff_member_id = s.id
        where s.active group by s.id order by s.email`,
    );
    return rows;
  }

  async function handleEmbedded(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === "/embedded/v1/staff" && (req.method === "GET" || req.method === "HEAD")) {
      const staff = await listStaff();
      sendJson(req, res, 200, staff.map(({ email, display_name, roles }) => ({ email, display_name, roles })));
      return;
    }
    if (url.pathname === "/embedded/v1/token" && req.method === "POST") {
      // application/json only: a cross-site form or text/plain POST (no preflight) cannot mint tokens.
      if ((req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() !== "application/json") {
        throw new HttpError(400, "invalid_body", 'Send {"email": "…"} as application/json');
      }
      let email: unknown;
      try {
        email = (JSON.parse((await readBody(req)).toString("utf8") || "{}") as { email?: unknown }).email;
      } catch {
        throw new HttpError(400, "invalid_body", 'Body must be JSON: {"email": "…"}');
      }
      if (typeof email !== "string" || email.trim() === "") throw new HttpError(400, "invalid_body", 'Body must be JSON: {"email": "…"}');
      const wanted = email.trim().toLowerCase();
      const member = (await listStaff()).find((s) => s.email === wanted);
      if (!member) throw new HttpError(404, "unknown_staff", `No active staff member with email ${wanted}`);
      const { token, claims } = issueStaffToken({ clerkUserId: member.clerk_user_id, email: member.email }, options.jwtSecret);
      log(`issued a demo token for ${member.email}`);
      sendJson(req, res, 200, {
        access_token: token,
        token_type: "bearer",
        expires_in: claims.exp - claims.iat,
        expires_at: claims.exp,
        user: { id: member.clerk_user_id, email: member.email, display_name: member.display_name, roles: member.roles },
      });
      return;
    }
    throw new HttpError(404, "not_found", `No embedded endpoint ${req.method} ${url.pathname}`);
  }

  async function handleFunction(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.pathname.slice("/functions/v1/".length).split("/")[0] ?? "";
    const entry = options.functions.get(name);
    if (!entry) throw new HttpError(404, "NOT_FOUND", `Function '${name}' not found`);
    if (entry.verifyJwt) authenticate(req);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
    const request = new Request(url.toString(), { method, headers, body: body ?? null });
    const handler = await entry.load();
    const response = await handler(request);
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      // The server's own CORS policy applies; the function's wildcard is for Supabase's gateway.
      if (!key.startsWith("access-control-")) outHeaders[key] = value;
    });
    send(req, res, response.status, outHeaders, new Uint8Array(await response.arrayBuffer()));
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (options.logRequests) {
      const started = performance.now();
      res.once("finish", () => log(`${req.method} ${req.url} → ${res.statusCode} (${(performance.now() - started).toFixed(1)} ms)`));
    }
    // A fixed base: the Host header is client-controlled and must not be able to break URL parsing.
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://127.0.0.1");
    } catch {
      sendJson(req, res, 400, { code: "bad_request", message: "Malformed request URL", details: null, hint: null });
      return;
    }
    const route = async (): Promise<void> => {
      const oversized = oversizedRequestError(req);
      if (oversized) throw oversized;
      // DNS rebinding guard: a page whose domain was re-pointed at 127.0.0.1 still sends its own Host.
      if (!isLoopbackHost(req.headers.host)) {
        throw new HttpError(421, "misdirected_request", "This server only answers requests addressed to 127.0.0.1 or localhost");
      }
      if (req.method === "OPTIONS") {
        const origin = req.headers.origin;
        const allowed = origin !== undefined && origins.has(origin);
        res.writeHead(allowed ? 204 : 403, allowed
          ? {
              ...corsHeaders(req),
              "Access-Control-Allow-Methods": "GET, HEAD, POST, PATCH, DELETE, OPTIONS",
              "Access-Control-Allow-Headers": ALLOWED_HEADERS,
              "Access-Control-Max-Age": "600",
            }
          : { Vary: "Origin" });
        res.end();
        return;
      }
      if (url.pathname.startsWith("/rest/v1/")) return handleRest(req, res, url);
      if (url.pathname.startsWith("/functions/v1/")) return handleFunction(req, res, url);
      if (url.pathname.startsWith("/embedded/v1/") && options.demoSignIn) return handleEmbedded(req, res, url);
      throw new HttpError(404, "not_found", `Nothing is served at ${url.pathname}`);
    };
    route().catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        sendJson(req, res, err.status, { code: err.code, message: err.message, details: err.details, hint: null }, err.headers);
        return;
      }
      log(`unexpected error on ${req.method} ${url.pathname}: ${(err as Error).stack ?? String(err)}`);
      sendJson(req, res, 500, { code: "internal", message: "Internal server error", details: null, hint: null });
    });
  };

  return { listener, rest };
}
