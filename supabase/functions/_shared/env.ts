/**
 * Environment for function handlers, in Deno (Supabase Edge Functions) and in the embedded Node server.
 * The embedded server supplies its values through setFunctionEnv; on Supabase they come from Deno.env.
 * No Node or Deno imports here: handlers must type-check and run unchanged in both runtimes.
 */
export type FunctionEnvName = "SUPABASE_URL" | "SUPABASE_ANON_KEY" | "SUPABASE_SERVICE_ROLE_KEY" | (string & {});

const overrides = new Map<string, string>();

/** Called by the embedded server before it serves functions. */
export function setFunctionEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) overrides.delete(name);
    else overrides.set(name, value);
  }
}

interface DenoLike {
  env: { get(name: string): string | undefined };
}

interface ProcessLike {
  env?: Record<string, string | undefined>;
}

/** Override (embedded server) → Deno.env (Supabase) → process.env (Node: e.g. STRIPE_SECRET_KEY in the shell). */
export function getFunctionEnv(name: FunctionEnvName): string | undefined {
  const override = overrides.get(name);
  if (override !== undefined) return override;
  const deno = (globalThis as { Deno?: DenoLike }).Deno;
  if (deno) return deno.env.get(name) ?? undefined;
  return (globalThis as { process?: ProcessLike }).process?.env?.[name];
}

/** "deno" on Supabase, "node" inside the embedded server and tests. */
export function runtimeName(): "deno" | "node" {
  return (globalThis as { Deno?: unknown }).Deno ? "deno" : "node";
}
