import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { signInAs } from "../../test/fakeBackend";
import { renderConsole } from "../../test/renderConsole";
import { dsarDataFor, dsarEvent, dsarRow, DPO_ID } from "./test-fixtures";
import type { DsarEventRow } from "./types";

const REQUEST = dsarRow();

describe("DSAR request timeline", () => {
  it("shows each event's label, its move between statuses, its short facts in a fixed order, and who acted", async () => {
    signInAs("auditor");
    const events = [
      dsarEvent({ id: 3, kind: "export_generated", to_status: null, actor_staff_id: DPO_ID, details: { purposes: ["analytics", "marketing_email"], days: 14, manifest_sha256: "abc123", ignored: "x" } }),
      dsarEvent({ id: 2, kind: "status_changed", from_status: "new", to_status: "in_progress", actor_staff_id: null }),
      dsarEvent({ id: 1, kind: "legacy_kind" as DsarEventRow["kind"], to_status: null }),
    ];
    renderConsole(`/dsar/${REQUEST.id}`, { rowsFor: dsarDataFor([REQUEST], events) });
    const activity = await screen.findByRole("region", { name: "Activity" });
    expect(await within(activity).findByText("Export generated")).toBeInTheDocument();
    expect(within(activity).getByText("manifest SHA-256: abc123 · days: 14 · purposes: analytics, marketing_email")).toBeInTheDocument();
    expect(within(activity).getByText("New → In progress")).toBeInTheDocument();
    expect(within(activity).getByText(/M-Factory app/)).toBeInTheDocument();
    expect(within(activity).getByText("legacy_kind")).toBeInTheDocument();
  });
});
