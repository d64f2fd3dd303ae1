// Deno entry for Supabase Edge Functions; the embedded server imports handler.ts directly.
import handler from "./handler.ts";

Deno.serve(handler);
