import { useEffect } from "react";
import { useLogout } from "@refinedev/core";
import { useLocation } from "react-router";

/** Signs out when the embedded session's token expires, rather than waiting for a request to fail. */
export function SessionExpiryWatcher({ msUntilExpiry }: { msUntilExpiry: () => number | null }) {
  const { mutate: logout } = useLogout();
  const location = useLocation();
  useEffect(() => {
    const remaining = msUntilExpiry();
    if (remaining === null) return;
    // setTimeout caps near 24.8 days; sessions are far shorter, the cap only guards against overflow.
    const timer = setTimeout(() => logout(), Math.max(0, Math.min(remaining, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [msUntilExpiry, logout, location.pathname]);
  return null;
}
