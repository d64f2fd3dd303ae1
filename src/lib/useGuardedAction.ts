import { useRef, useState } from "react";
import { messageOf } from "./rpc";

/**
 * Runs one action at a time and keeps its error for the form: a second click while it runs does nothing (so a
 * slow RPC is never sent twice), and a failure's sentence (an RpcError's is already worded) stays until the next try.
 * `guard` resolves true when the action finished without throwing.
 */
export function useGuardedAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const guard = async (work: () => Promise<void>): Promise<boolean> => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (cause) {
      setError(messageOf(cause));
      return false;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  };
  return { pending, error, setError, guard };
}
