import { useState } from "react";
import { Button, Input, Radio, Tag, Typography } from "antd";
import { useT } from "../../../i18n";
import { useDsarActions } from "../data";
import type { DsarQueueRow } from "../types";
import { ErrorLine, Panel, usePanelAction } from "./Panel";

/** The restriction tag of a customer, as the subject and restriction panels show it. */
export function RestrictionTag({ restricted }: { restricted: boolean }) {
  const t = useT();
  return restricted ? <Tag color="red">{t("dsar.restriction.restricted")}</Tag> : <Tag color="green">{t("dsar.restriction.notRestricted")}</Tag>;
}

/** Restriction: restrict or lift the customer's processing, with the reason every customer view shows. */
export function RestrictionPanel({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const actions = useDsarActions();
  const current = Boolean(request.customer_processing_restricted);
  const [target, setTarget] = useState<boolean>(!current);
  const [reason, setReason] = useState("");
  const { pending, error, run } = usePanelAction();
  const save = () =>
    run(
      async () => {
        await actions.setRestriction({ requestId: request.id, restricted: target, reason: reason.trim() });
        setReason("");
      },
      {
        refusal: reason.trim() ? null : t("dsar.fulfilment.restriction.reasonMissing"),
        success: target ? t("dsar.fulfilment.restriction.restricted") : t("dsar.fulfilment.restriction.lifted"),
      },
    );
  return (
    <Panel title={t("dsar.fulfilment.restriction.title")}>
      <Typography.Text>
        {t("dsar.fulfilment.restriction.currently")} <RestrictionTag restricted={current} />
      </Typography.Text>
      <ErrorLine error={error} />
      <Radio.Group
        aria-label={t("dsar.fulfilment.restriction.choice")}
        value={target}
        onChange={(e) => setTarget(e.target.value as boolean)}
        options={[
          { value: true, label: t("dsar.fulfilment.restriction.restrict") },
          { value: false, label: t("dsar.fulfilment.restriction.lift") },
        ]}
      />
      <Input.TextArea aria-label={t("dsar.fulfilment.restriction.reason")} rows={2} placeholder={t("dsar.fulfilment.restriction.reasonPlaceholder")} value={reason} onChange={(e) => setReason(e.target.value)} />
      <Button type="primary" disabled={pending} onClick={save}>
        {t("common.actions.save")}
      </Button>
    </Panel>
  );
}
