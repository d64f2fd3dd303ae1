/**
 * The embedded server for suites that drive it over HTTP as the console does: on this file's own database (see
 * openTestEngine) with the migrations and the demo seed, and supabase-js clients signed in as demo staff.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Engine } from "../../server/db/engine.ts";
import { generateSecret, issueStaffToken, type StaffTokenSubject } from "../../server/auth/jwt.ts";
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from "../../server/index.ts";
import type { StaffRole } from "../../server/seed/staff.ts";
import { demoStaffForRole, openTestEngine } from "./db.ts";

class RealtimeUnavailable {
  constructor() {
    throw new Error("realtime is not part of the embedded server");
  }
}

/**
 * supabase-js against a test server, as the console creates it: the caller's token (anon without one), no session
 * kept. Node 20 has no global WebSocket and these tests never open a realtime channel.
 */
export function testClient(server: { url: string; anonKey: string }, token?: string): SupabaseClient {
  return createClient(server.url, server.anonKey, {
    ...(token ? { accessToken: async () => token } : {}),
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: RealtimeUnavailable as never },
  });
}

export interface DemoServer {
  server: EmbeddedServer;
  engine: Engine;
  /** A token for the demo staff member holding `role`. */
  tokenFor(role: StaffRole): string;
  /** supabase-js signed in as the demo staff member holding `role`. */
  clientAs(role: StaffRole): SupabaseClient;
  /** supabase-js signed in as `staff` (any clerk id and email, demo staff or not). */
  clientFor(staff: StaffTokenSubject): SupabaseClient;
  close(): Promise<void>;
}

/** The embedded server on a port of its own over a fresh database with `demoCustomers` seeded; quiet, no schema watch. */
export async function startDemoServer(options: Partial<EmbeddedServerOptions> & { demoCustomers: number }): Promise<DemoServer> {
  const engine = await openTestEngine();
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedServer({ engine, port: 0, jwtSecret: generateSecret(), schemaCheckIntervalMs: 0, log: () => undefined, ...options });
  } catch (err) {
    await engine.close();
    throw err;
  }
  const clientFor = (staff: StaffTokenSubject) => testClient(server, issueStaffToken(staff, server.jwtSecret).token);
  return {
    server,
    engine,
    tokenFor: (role) => issueStaffToken(demoStaffForRole(role), server.jwtSecret).token,
    clientAs: (role) => clientFor(demoStaffForRole(role)),
    clientFor,
    async close() {
      await server.close();
      await engine.close();
    },
  };
}
