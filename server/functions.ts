/**
 * The functions the embedded server serves at /functions/v1/<name>: the same handler.ts modules that
 * run as Supabase Edge Functions. verifyJwt mirrors `verify_jwt` in supabase/config.toml.
 */
export type FunctionHandler = (req: Request) => Promise<Response>;

export interface FunctionEntry {
  /** Loads supabase/functions/<name>/handler.ts (lazily, so one broken function cannot stop the server). */
  load: () => Promise<FunctionHandler>;
  /** When true the server refuses calls without a valid token, as Supabase does by default. */
  verifyJwt: boolean;
}

export type FunctionRegistry = Map<string, FunctionEntry>;

const fromModule = (load: () => Promise<{ default: FunctionHandler }>) => async (): Promise<FunctionHandler> =>
  (await load()).default;

/** Add new functions here (and to supabase/config.toml). */
export function defaultFunctionRegistry(): FunctionRegistry {
  return new Map<string, FunctionEntry>([
    ["health", { load: fromModule(() => import("../supabase/functions/health/handler.ts")), verifyJwt: false }],
    ["refund-execute", { load: fromModule(() => import("../supabase/functions/refund-execute/handler.ts")), verifyJwt: true }],
    ["stripe-reconcile-pull", { load: fromModule(() => import("../supabase/functions/stripe-reconcile-pull/handler.ts")), verifyJwt: true }],
    // Stripe signs its calls instead of sending a JWT.
    ["stripe-webhook", { load: fromModule(() => import("../supabase/functions/stripe-webhook/handler.ts")), verifyJwt: false }],
  ]);
}
