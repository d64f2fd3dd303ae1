/** What the DPO can do to several selected requests at once: assign them, or close them as duplicates of one. */
import { useState } from "react";
import { Alert, Button, Input, Select, Space, Typography } from "antd";
import "../../i18n/messages/en/dsar";
import { useT } from "../../i18n";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { requestIdByReference } from "./api";
import { useDsarActions } from "./data";
import type { BulkResultRow } from "./types";

export function QueueBulkBar({
  selected,
  assignees,
  onDone,
}: {
  selected: string[];
  assignees: { id: string; display_name: string }[];
  onDone: (outcome: { action: string; rows: BulkResultRow[] }) => void;
}) {
  const t = useT();
  const actions = useDsarActions();
  const getClient = useSupabaseClient();
  const [assignee, setAssignee] = useState<string | undefined>();
  const [originalReference, setOriginalReference] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const perform = async (action: string, work: () => Promise<BulkResultRow[]>) => {
    setPending(true);
    setError(null);
    try {
      onDone({ action, rows: await work() });
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setPending(false);
    }
  };

  const assign = () => perform(t("dsar.bulk.assign"), async () => (assignee ? actions.assign(selected, assignee) : []));

  const closeAsDuplicate = () =>
    perform(t("dsar.bulk.closeAsDuplicate"), async () => {
      const reference = originalReference.trim().toUpperCase();
      const original = await requestIdByReference(await getClient(), reference);
      if (!original) throw new Error(t("dsar.bulk.noSuchReference", { reference }));
      return actions.closeAsDuplicate(selected, original);
    });

  return (
    <Alert
      type="info"
      message={
        <Space wrap>
          <strong>{t("dsar.bulk.selected", { count: selected.length })}</strong>
          <Select
            aria-label={t("dsar.bulk.assignTo")}
            placeholder={t("dsar.bulk.assignPlaceholder")}
            style={{ width: 200 }}
            value={assignee}
            onChange={setAssignee}
            options={assignees.map((s) => ({ value: s.id, label: s.display_name }))}
          />
          <Button onClick={() => void assign()} disabled={!assignee || pending} loading={pending}>
            {t("dsar.bulk.assign")}
          </Button>
          <Input
            aria-label={t("dsar.bulk.originalReference")}
            placeholder={t("dsar.bulk.originalPlaceholder")}
            style={{ width: 220 }}
            value={originalReference}
            onChange={(e) => setOriginalReference(e.target.value)}
          />
          <Button danger onClick={() => void closeAsDuplicate()} disabled={originalReference.trim() === "" || pending}>
            {t("dsar.bulk.closeAsDuplicate")}
          </Button>
          {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
        </Space>
      }
    />
  );
}
