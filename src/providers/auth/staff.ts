import { t } from "../../i18n/provider";
import type { ConsoleClient, Tables } from "../../lib/database";

/** The signed-in staff member as the database sees them (RPC `current_staff`: their staff_members row and roles). */
export type StaffIdentity = Pick<Tables<"staff_members">, "id" | "email" | "display_name" | "clerk_user_id"> & { roles: string[] };

export class StaffLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StaffLookupError";
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Validates the RPC's answer; null means "signed in, but not active staff". */
export function parseStaffIdentity(data: unknown): StaffIdentity | null {
  const row = Array.isArray(data) ? data[0] : data;
  if (row === null || row === undefined) return null;
  if (typeof row !== "object") throw new StaffLookupError("current_staff returned an unexpected value");
  const candidate = row as Record<string, unknown>;
  const { id, email, display_name, clerk_user_id, roles } = candidate;
  if (typeof id !== "string" || typeof email !== "string" || !isStringArray(roles)) {
    throw new StaffLookupError("current_staff returned a row without id, email and roles");
  }
  return {
    id,
    email,
    display_name: typeof display_name === "string" ? display_name : email,
    clerk_user_id: typeof clerk_user_id === "string" ? clerk_user_id : "",
    roles,
  };
}

// PostgREST answers "not allowed" with 42501 (insufficient_privilege); the RPC may also raise that for non-staff.
const NOT_STAFF_CODES = new Set(["42501", "PGRST301"]);

export async function fetchCurrentStaff(client: ConsoleClient): Promise<StaffIdentity | null> {
  const { data, error, status } = await client.rpc("current_staff");
  if (error) {
    if (NOT_STAFF_CODES.has(error.code) || status === 403) return null;
    throw new StaffLookupError(t("common.staffGate.profileFailedBecause", { reason: error.message }));
  }
  return parseStaffIdentity(data);
}

/**
 * Caches the staff lookup per token, so the menu, access checks and identity share one RPC call, and a new
 * session (a different token) always asks the database again.
 */
export function createCurrentStaffLoader(
  lookup: () => Promise<StaffIdentity | null>,
  currentToken: () => Promise<string | null>,
) {
  let cached: { token: string; result: Promise<StaffIdentity | null> } | null = null;
  return {
    async load(): Promise<StaffIdentity | null> {
      const token = await currentToken();
      if (!token) return null;
      if (cached?.token !== token) {
        const result = lookup();
        cached = { token, result };
        // A failed lookup must not stick: the next call retries.
        result.catch(() => {
          if (cached?.result === result) cached = null;
        });
      }
      return cached.result;
    },
    reset(): void {
      cached = null;
    },
  };
}
export type CurrentStaffLoader = ReturnType<typeof createCurrentStaffLoader>;
