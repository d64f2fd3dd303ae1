import { useState } from "react";
import { Alert, Form, Input, Modal, Select, Space } from "antd";
import { useT } from "../../i18n";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { useCustomerSearch } from "../customers";
import { placeLegalHold } from "./api";
import { useRetentionRefresh } from "./data";
import { EMPTY_HOLD_DRAFT, holdInput, type HoldDraft } from "./holdForm";
import { CATEGORY_LABELS, RETENTION_CATEGORIES } from "./types";

/** Place a legal hold (legal_hold_place): a reason and a review date, and what it covers. */
export function PlaceHoldModal({ open, onClose, onPlaced }: { open: boolean; onClose: () => void; onPlaced: () => void }) {
  const t = useT();
  const getClient = useSupabaseClient();
  const refresh = useRetentionRefresh();
  const customers = useCustomerSearch();
  const { pending, error, setError, guard } = useGuardedAction();
  const [draft, setDraft] = useState<HoldDraft>(EMPTY_HOLD_DRAFT);
  const set = (change: Partial<HoldDraft>) => setDraft((d) => ({ ...d, ...change }));

  const submit = async () => {
    const checked = holdInput(draft);
    if ("refusal" in checked) {
      setError(t(`retention.holds.refusals.${checked.refusal}`));
      return;
    }
    const ok = await guard(async () => {
      await placeLegalHold(await getClient(), checked.input);
      await refresh();
    });
    if (ok) {
      setDraft(EMPTY_HOLD_DRAFT);
      onPlaced();
    }
  };

  return (
    <Modal
      open={open}
      title={t("retention.holds.placeTitle")}
      okText={t("retention.holds.placeSubmit")}
      okButtonProps={{ loading: pending, disabled: pending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Form.Item label={t("retention.holds.fields.customer")} htmlFor="hold-customer">
          <Select
            id="hold-customer"
            aria-label={t("retention.holds.fields.customer")}
            showSearch
            allowClear
            filterOption={false}
            placeholder={t("retention.holds.fields.customerPlaceholder")}
            onSearch={customers.search}
            loading={customers.searching}
            value={draft.customerId}
            onChange={(value: string | undefined) => set({ customerId: value })}
            options={customers.options.map((c) => ({ value: c.id, label: t("retention.holds.fields.customerOption", { email: c.email, clerkId: c.clerk_user_id }) }))}
          />
        </Form.Item>
        <Form.Item label={t("retention.holds.fields.category")} htmlFor="hold-category">
          <Select
            id="hold-category"
            aria-label={t("retention.holds.fields.category")}
            allowClear
            placeholder={t("retention.holds.fields.categoryPlaceholder")}
            value={draft.category}
            onChange={(value: string | undefined) => set({ category: value })}
            options={RETENTION_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
          />
        </Form.Item>
        <Form.Item label={t("retention.holds.fields.range")}>
          <Space wrap>
            <Input type="date" aria-label={t("retention.holds.fields.rangeFrom")} value={draft.from} onChange={(e) => set({ from: e.target.value })} />
            <Input type="date" aria-label={t("retention.holds.fields.rangeUntil")} value={draft.until} onChange={(e) => set({ until: e.target.value })} />
          </Space>
        </Form.Item>
        <Form.Item label={t("retention.holds.fields.reason")} htmlFor="hold-reason" required>
          <Input.TextArea
            id="hold-reason"
            rows={3}
            placeholder={t("retention.holds.fields.reasonPlaceholder")}
            value={draft.reason}
            onChange={(e) => set({ reason: e.target.value })}
          />
        </Form.Item>
        <Form.Item label={t("retention.holds.fields.review")} htmlFor="hold-review" required>
          <Input id="hold-review" type="date" value={draft.reviewOn} onChange={(e) => set({ reviewOn: e.target.value })} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
