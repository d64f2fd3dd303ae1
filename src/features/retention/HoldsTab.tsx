import { useState } from "react";
import { Alert, App, Button, Empty, Input, Modal, Segmented, Space, Table, Tag, Typography } from "antd";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { LoadError } from "../../lib/list";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { useStaffNames } from "../../lib/staffNames";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { releaseLegalHold } from "./api";
import { useHoldCustomerEmails, useLegalHolds, useRetentionRefresh } from "./data";
import { bangkokToday } from "./holdForm";
import { PlaceHoldModal } from "./PlaceHoldModal";
import { categoryLabel, type LegalHoldRow } from "./types";

type Shown = "active" | "released" | "all";

/** What a hold covers, in words: customer, category, date range (all it sets must match). */
function Scope({ hold, email }: { hold: LegalHoldRow; email: string | undefined }) {
  const t = useT();
  const format = useFormatter();
  const parts = [
    hold.customer_id ? t("retention.holds.customer", { id: email ?? hold.customer_id }) : t("retention.holds.anyCustomer"),
    hold.category ? categoryLabel(hold.category) : t("retention.holds.allCategories"),
    hold.held_from ? t("retention.holds.from", { date: format.dateTime(hold.held_from) }) : null,
    hold.held_until ? t("retention.holds.until", { date: format.dateTime(hold.held_until) }) : null,
  ].filter((part): part is string => part !== null);
  return <span>{parts.join(" · ")}</span>;
}

function ReleaseModal({ hold, onClose }: { hold: LegalHoldRow | null; onClose: () => void }) {
  const t = useT();
  const getClient = useSupabaseClient();
  const refresh = useRetentionRefresh();
  const { message } = App.useApp();
  const { pending, error, setError, guard } = useGuardedAction();
  const [note, setNote] = useState("");
  const release = async () => {
    if (!hold) return;
    if (!note.trim()) {
      setError(t("retention.holds.refusals.note"));
      return;
    }
    const ok = await guard(async () => {
      await releaseLegalHold(await getClient(), hold.id, note.trim());
      await refresh();
    });
    if (ok) {
      setNote("");
      onClose();
      void message.success(t("retention.holds.releasedDone"));
    }
  };
  return (
    <Modal
      open={hold !== null}
      title={t("retention.holds.releaseTitle")}
      okText={t("retention.holds.releaseSubmit")}
      okButtonProps={{ danger: true, loading: pending, disabled: pending }}
      onOk={() => void release()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        {hold ? <Typography.Paragraph>{hold.reason}</Typography.Paragraph> : null}
        {error ? <Alert type="error" showIcon message={error} /> : null}
        <Input.TextArea
          aria-label={t("retention.holds.releaseNote")}
          placeholder={t("retention.holds.releaseNotePlaceholder")}
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Space>
    </Modal>
  );
}

/** Legal holds, active and released; the DPO places and releases them. */
export function HoldsTab({ mayWrite }: { mayWrite: boolean }) {
  const t = useT();
  const format = useFormatter();
  const holds = useLegalHolds(true);
  const names = useStaffNames((holds.data ?? []).flatMap((h) => [h.placed_by, h.released_by ?? ""]));
  // The auditor sees no customer PII (docs/roles.md): ids stay ids.
  const emails = useHoldCustomerEmails((holds.data ?? []).flatMap((h) => (h.customer_id ? [h.customer_id] : [])), mayWrite);
  const [shown, setShown] = useState<Shown>("active");
  const [placing, setPlacing] = useState(false);
  const { message } = App.useApp();
  const [releasing, setReleasing] = useState<LegalHoldRow | null>(null);
  if (holds.error) return <LoadError title={t("retention.loadFailed")} error={holds.error} onRetry={() => void holds.refetch()} />;
  const today = bangkokToday();
  const rows = (holds.data ?? []).filter((h) => shown === "all" || (shown === "active" ? h.released_at === null : h.released_at !== null));
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Segmented<Shown>
          aria-label={t("retention.holds.table")}
          value={shown}
          onChange={setShown}
          options={[
            { value: "active", label: t("retention.holds.filterActive") },
            { value: "released", label: t("retention.holds.filterReleased") },
            { value: "all", label: t("retention.holds.filterAll") },
          ]}
        />
        {mayWrite ? (
          <Button type="primary" onClick={() => setPlacing(true)}>
            {t("retention.holds.place")}
          </Button>
        ) : null}
      </Space>
      <Table<LegalHoldRow>
        aria-label={t("retention.holds.table")}
        size="small"
        loading={holds.isLoading}
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("retention.holds.empty")} /> }}
        columns={[
          { title: t("retention.holds.columns.scope"), key: "scope", render: (_, hold) => <Scope hold={hold} email={hold.customer_id ? emails.get(hold.customer_id) : undefined} /> },
          { title: t("retention.holds.columns.reason"), dataIndex: "reason" },
          { title: t("retention.holds.columns.placed"), key: "placed", render: (_, hold) => `${format.dateTime(hold.placed_at)} · ${(names.get(hold.placed_by) ?? hold.placed_by)}` },
          {
            title: t("retention.holds.columns.review"),
            key: "review",
            render: (_, hold) => (
              <Space size={4}>
                <span>{hold.review_on}</span>
                {hold.released_at === null && hold.review_on <= today ? <Tag color="orange">{t("retention.holds.reviewDue")}</Tag> : null}
              </Space>
            ),
          },
          {
            title: t("retention.holds.columns.status"),
            key: "status",
            render: (_, hold) =>
              hold.released_at === null ? (
                <Tag color="purple">{t("retention.holds.active")}</Tag>
              ) : (
                <Space direction="vertical" size={0}>
                  <Tag>{t("retention.holds.released")}</Tag>
                  <Typography.Text type="secondary">{t("retention.holds.releasedOn", { at: format.dateTime(hold.released_at), note: hold.release_note ?? "" })}</Typography.Text>
                </Space>
              ),
          },
          ...(mayWrite
            ? [
                {
                  title: t("retention.holds.columns.actions"),
                  key: "actions",
                  render: (_: unknown, hold: LegalHoldRow) =>
                    hold.released_at === null ? <Button size="small" onClick={() => setReleasing(hold)}>{t("retention.holds.release")}</Button> : null,
                },
              ]
            : []),
        ]}
      />
      {mayWrite ? <PlaceHoldModal open={placing} onClose={() => setPlacing(false)} onPlaced={() => {
            setPlacing(false);
            void message.success(t("retention.holds.placed"));
          }} /> : null}
      {mayWrite ? <ReleaseModal hold={releasing} onClose={() => setReleasing(null)} /> : null}
    </Space>
  );
}
