import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "./database.types";

/**
 * The schema's types, generated from supabase/migrations (`npm run gen:types`): import row shapes from here
 * (`Tables<"refunds">`, `Enums<"staff_role">`) rather than writing them by hand.
 */
export type { Database, Enums, Json, Tables, TablesInsert, TablesUpdate } from "./database.types";

/** The console's supabase-js client, typed by the schema: table, view and rpc names and their rows are checked. */
export type ConsoleClient = SupabaseClient<Database>;

type PublicFunctions = Database["public"]["Functions"];
/** The name of a function the API exposes (`client.rpc(name, …)`). */
export type RpcName = keyof PublicFunctions & string;
/** The named arguments (`p_*`) of that function, as its SQL declares them. */
export type RpcArgs<Fn extends RpcName> = PublicFunctions[Fn]["Args"];
/** What that function returns: a row, an array of rows (`setof`, `returns table`), a scalar or Json. */
export type RpcReturns<Fn extends RpcName> = PublicFunctions[Fn]["Returns"];
/**
 * One row of a function that returns a set. The generator types `returns table (…)` columns as never null: override
 * the columns that can be (as the SQL's comment or body says).
 */
export type RpcRow<Fn extends RpcName> = RpcReturns<Fn> extends readonly (infer Row)[] ? Row : RpcReturns<Fn>;

/** `Row` with `Column` made nullable: for `returns table` columns and view columns that the generator types too narrowly. */
export type WithNullable<Row, Column extends keyof Row> = Omit<Row, Column> & { [Key in Column]: Row[Key] | null };

/** A view's row (`Tables<…>` accepts views too; this one says which). The generator types every view column nullable. */
export type Views<View extends keyof Database["public"]["Views"]> = Database["public"]["Views"][View]["Row"];

/** A table or view the API exposes (`client.from(name)`). */
export type RelationName = keyof Database["public"]["Tables"] | keyof Database["public"]["Views"];

/**
 * The same client without the schema's types, for the rare reader that picks its relation and columns at run time
 * (the DSAR export walks ten relations in one loop); such code checks the rows it gets itself.
 */
export type UntypedClient = SupabaseClient;
