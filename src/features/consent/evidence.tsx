/** The evidence pack of one consent event as one JSON file (consent_evidence: receipt, policy hashes, audit-chain entry). */
import { useState } from "react";
import { Alert, Button } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useT } from "../../i18n";
import { downloadBlob } from "../../lib/download";
import { messageOf } from "../../lib/rpc";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { consentEvidence } from "./api";
import "../../i18n/messages/en/consent";

/** The file's name: the event it proves. */
export const evidenceFileName = (eventId: number) => `consent-evidence-event-${eventId}.json`;

export function useEvidenceDownload() {
  const getClient = useSupabaseClient();
  const [busy, setBusy] = useState<number | null>(null);
  const [failure, setFailure] = useState<{ id: number; reason: string } | null>(null);
  const download = async (eventId: number) => {
    setBusy(eventId);
    setFailure(null);
    try {
      const pack = await consentEvidence(await getClient(), eventId);
      downloadBlob(new Blob([`${JSON.stringify(pack, null, 2)}\n`], { type: "application/json" }), evidenceFileName(eventId));
    } catch (cause) {
      setFailure({ id: eventId, reason: messageOf(cause) });
    } finally {
      setBusy(null);
    }
  };
  return { download, busy, failure, dismiss: () => setFailure(null) };
}

export type EvidenceDownload = ReturnType<typeof useEvidenceDownload>;

export function EvidenceButton({ eventId, evidence }: { eventId: number; evidence: EvidenceDownload }) {
  const t = useT();
  return (
    <Button
      size="small"
      icon={<DownloadOutlined />}
      loading={evidence.busy === eventId}
      disabled={evidence.busy !== null && evidence.busy !== eventId}
      aria-label={t("consent.evidence.downloadLabel", { id: String(eventId) })}
      // A button in an openable row is its own action (the kit's openableRow leaves buttons alone).
      onClick={() => void evidence.download(eventId)}
    >
      {evidence.busy === eventId ? t("consent.evidence.downloading") : t("consent.evidence.download")}
    </Button>
  );
}

export function EvidenceError({ evidence }: { evidence: EvidenceDownload }) {
  const t = useT();
  if (!evidence.failure) return null;
  return (
    <Alert
      type="error"
      showIcon
      closable
      onClose={evidence.dismiss}
      message={t("consent.evidence.failed", { id: String(evidence.failure.id), reason: evidence.failure.reason })}
    />
  );
}
