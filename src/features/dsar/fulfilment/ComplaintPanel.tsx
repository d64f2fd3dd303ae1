import { useState } from "react";
import { Alert, Button, Input } from "antd";
import { useT } from "../../../i18n";
import { useDsarActions } from "../data";
import type { DsarQueueRow } from "../types";
import { ErrorLine, Panel, usePanelAction } from "./Panel";

/** Complaint: the finding goes into the timeline as a note; replies state the right to complain to the PDPC. */
export function ComplaintPanel({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const actions = useDsarActions();
  const [finding, setFinding] = useState("");
  const { pending, error, run } = usePanelAction();
  const record = () =>
    run(
      async () => {
        await actions.addNote(request.id, `Complaint finding: ${finding.trim()}`); // not-ui-text: stored in the audit record, the same whatever the console's language
        setFinding("");
      },
      { refusal: finding.trim() ? null : t("dsar.fulfilment.complaint.findingMissing") },
    );
  return (
    <Panel title={t("dsar.fulfilment.complaint.title")}>
      <Alert type="info" showIcon message={t("dsar.fulfilment.complaint.pdpcTitle")} description={t("dsar.fulfilment.complaint.pdpcDetail")} />
      <ErrorLine error={error} />
      <Input.TextArea aria-label={t("dsar.fulfilment.complaint.finding")} rows={3} placeholder={t("dsar.fulfilment.complaint.findingPlaceholder")} value={finding} onChange={(e) => setFinding(e.target.value)} />
      <Button disabled={pending} onClick={record}>
        {t("dsar.fulfilment.complaint.submit")}
      </Button>
    </Panel>
  );
}
