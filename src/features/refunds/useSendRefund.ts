import { useRef, useState } from "react";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { executeRefund, type ExecuteResult } from "./api";
import { useRefreshRefunds } from "./data";

/**
 * Sends an approved refund to Stripe (or retries one left processing), one send at a time. The lists refresh
 * whatever the outcome: a failed or timed-out send may still have moved the refund. `inFlightRef` is shared with
 * the caller's other actions on the same refund, so none of them overlaps a send.
 */
export function useSendRefund(refundId: string) {
  const getClient = useSupabaseClient();
  const refresh = useRefreshRefunds();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  const send = async (onSent: (result: ExecuteResult) => void) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    setError(null);
    try {
      onSent(await executeRefund(await getClient(), refundId));
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      await refresh();
      inFlight.current = false;
      setSending(false);
    }
  };
  return { send, sending, error, inFlightRef: inFlight };
}
