import { usePermissions } from "@refinedev/core";

/** The signed-in staff member's roles as the database reports them (authProvider.getPermissions). */
export function useStaffRoles(): { roles: string[] | undefined; isLoading: boolean } {
  const { data, isLoading } = usePermissions<string[]>({});
  return { roles: Array.isArray(data) ? data : undefined, isLoading };
}
