import { useState } from "react";
import { useList } from "@refinedev/core";
import { Button, Checkbox } from "antd";
import { useT } from "../../../i18n";
import { labelOf, PURPOSE_LABELS } from "../../consent";
import type { CustomerConsentRow } from "../../customers";
import { useDsarActions } from "../data";
import type { DsarQueueRow } from "../types";
import { ErrorLine, Panel, usePanelAction } from "./Panel";

/** Only consent-based purposes can be withdrawn; terms and privacy policy end with the account (erasure). */
export const WITHDRAWABLE_PURPOSES = ["analytics", "marketing_email"] as const;

/** Objection: withdraw consent for the chosen purposes, recorded in the customer's consent history. */
export function ConsentPanel({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const actions = useDsarActions();
  const consents = useList<CustomerConsentRow>({
    resource: "customer_consents",
    filters: [{ field: "customer_id", operator: "eq", value: request.customer_id }],
    pagination: { mode: "off" },
    meta: { uniqueOrder: ["customer_id", "purpose"] },
    errorNotification: false,
  });
  const state = new Map((consents.result.data ?? []).map((c) => [c.purpose, c.granted]));
  const stateOf = (purpose: string) =>
    state.has(purpose)
      ? state.get(purpose)
        ? t("dsar.fulfilment.consent.granted")
        : t("dsar.fulfilment.consent.withdrawn")
      : t("dsar.fulfilment.consent.neverGiven");
  const [purposes, setPurposes] = useState<string[]>([]);
  const { pending, error, run } = usePanelAction();
  const withdraw = () =>
    run(
      async () => {
        await actions.withdrawConsent(request.id, purposes);
        setPurposes([]);
      },
      { refusal: purposes.length === 0 ? t("dsar.fulfilment.consent.nonePicked") : null, success: t("dsar.fulfilment.consent.recorded") },
    );
  return (
    <Panel title={t("dsar.fulfilment.consent.title")}>
      <ErrorLine error={error} />
      <Checkbox.Group
        aria-label={t("dsar.fulfilment.consent.purposes")}
        value={purposes}
        onChange={(values) => setPurposes(values as string[])}
        options={WITHDRAWABLE_PURPOSES.map((purpose) => ({ value: purpose, label: t("dsar.fulfilment.consent.purpose", { purpose: labelOf(PURPOSE_LABELS, purpose), state: stateOf(purpose) }) }))}
      />
      <Button type="primary" disabled={pending} onClick={withdraw}>
        {t("dsar.fulfilment.consent.submit")}
      </Button>
    </Panel>
  );
}
