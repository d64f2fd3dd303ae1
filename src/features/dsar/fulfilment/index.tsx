/** The DSAR fulfilment panels: one per kind of right, chosen by `fulfilmentPanel` (workflow.ts). */
import { Alert } from "antd";
import { useT } from "../../../i18n";
import type { DsarQueueRow } from "../types";
import type { FulfilmentKind } from "../workflow";
import { ComplaintPanel } from "./ComplaintPanel";
import { ConsentPanel } from "./ConsentPanel";
import { ErasurePanel } from "./ErasurePanel";
import { ExportPanel } from "./ExportPanel";
import { Panel } from "./Panel";
import { RectifyPanel } from "./RectifyPanel";
import { RestrictionPanel } from "./RestrictionPanel";

export { MatchCustomer } from "./MatchCustomer";
export { RestrictionTag } from "./RestrictionPanel";
export { ErrorLine } from "./Panel";
export { WITHDRAWABLE_PURPOSES } from "./ConsentPanel";

export function FulfilmentPanel({ kind, request }: { kind: FulfilmentKind; request: DsarQueueRow }) {
  const t = useT();
  if (kind === "complaint") return <ComplaintPanel request={request} />;
  if (kind === "export") return <ExportPanel request={request} />;
  if (!request.customer_id) {
    return (
      <Panel title={t("dsar.fulfilment.title")}>
        <Alert type="warning" showIcon message={t("dsar.fulfilment.matchFirst", { reference: request.reference })} />
      </Panel>
    );
  }
  switch (kind) {
    case "erasure":
      return <ErasurePanel request={request} />;
    case "rectification":
      return <RectifyPanel request={request} />;
    case "restriction":
      return <RestrictionPanel request={request} />;
    case "consent":
      return <ConsentPanel request={request} />;
  }
}
