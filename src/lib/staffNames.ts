import { useList } from "@refinedev/core";

/**
 * Staff names by id, for "requested by", "who" and timeline columns. The staff directory is readable by every staff
 * member (docs/roles.md); a name that cannot be read is missing from the map, and the caller shows the id instead.
 */
export function useStaffNames(ids: readonly string[]): Map<string, string> {
  const unique = [...new Set(ids.filter(Boolean))].sort();
  const { result } = useList<{ id: string; display_name: string }>({
    resource: "staff_members",
    filters: [{ field: "id", operator: "in", value: unique }],
    pagination: { mode: "off" },
    meta: { select: "id,display_name" },
    queryOptions: { enabled: unique.length > 0 },
    errorNotification: false,
  });
  return new Map((result.data ?? []).map((row) => [row.id, row.display_name]));
}
