import { useEffect, useRef, useState } from "react";
import type { Tables } from "../../lib/database";
import { normaliseSearchText } from "../../lib/postgrestFilters";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { customerMatchFilter } from "./search";

export type CustomerOption = Pick<Tables<"customers">, "id" | "email" | "display_name" | "clerk_user_id">;

/** Customer lookup for a picker (DSAR matching, credit adjustments): email contains, or the exact Clerk id (user_…). */
export function useCustomerSearch() {
  const getClient = useSupabaseClient();
  const [options, setOptions] = useState<CustomerOption[]>([]);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const search = (raw: string) => {
    if (timer.current) clearTimeout(timer.current);
    const term = normaliseSearchText(raw);
    if (customerMatchFilter(term) === null) return;
    timer.current = setTimeout(() => {
      setSearching(true);
      void (async () => {
        try {
          const client = await getClient();
          const { data, error: failure } = await client
            .from("customer_directory")
            .select("id,email,display_name,clerk_user_id")
            .or(customerMatchFilter(term)!)
            .order("email")
            .limit(20);
          if (failure) throw new Error(failure.message);
          setOptions((data ?? []) as CustomerOption[]);
          setError(null);
        } catch (cause) {
          setError((cause as Error).message);
        } finally {
          setSearching(false);
        }
      })();
    }, 300);
  };
  return { options, searching, error, search };
}

