import { useState } from "react";
import { Alert, App, Form, Input, Modal, Radio, Space, Typography } from "antd";
import { useT } from "../../i18n";
import { messageOf } from "../../lib/rpc";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { publishPolicyVersion } from "./api";
import { useDocumentVersions, usePoliciesRefresh, usePolicyVersion } from "./data";
import { DiffView } from "./DiffView";
import { CHANGE_CLASS_LABELS, CHANGE_CLASSES, documentLabel, type ChangeClass, type PolicyVersionRow } from "./types";
import "../../i18n/messages/en/policies";

/** What the dialog refuses before anything is sent: no class chosen, or re_accept without a reason. */
export function publishInputError(changeClass: ChangeClass | null, reason: string): "classRequired" | "reasonRequired" | null {
  if (!changeClass) return "classRequired";
  if (changeClass === "re_accept" && !reason.trim()) return "reasonRequired";
  return null;
}

/**
 * Publishing a draft: the DPO classifies the change (editorial / notify / re_accept); re_accept asks for a reason
 * and shows the diff against the published version of the same document before confirming. One call to
 * publish_policy_version; its refusals (empty draft, effective date before the one in force) are shown in words.
 */
export function PublishDialog({ draft, open, onClose }: { draft: PolicyVersionRow; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const getClient = useSupabaseClient();
  const refresh = usePoliciesRefresh();
  const [changeClass, setChangeClass] = useState<ChangeClass | null>(null);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const versions = useDocumentVersions(open ? draft.document : undefined);
  const inForceId = (versions.result.data ?? []).find((v) => v.status === "published")?.id;
  const inForce = usePolicyVersion(open ? inForceId : undefined);

  const close = () => {
    setProblem(null);
    onClose();
  };

  const submit = async () => {
    const refused = publishInputError(changeClass, reason);
    if (refused) {
      setProblem(t(`policies.publish.${refused}`));
      return;
    }
    setProblem(null);
    setSending(true);
    try {
      await publishPolicyVersion(await getClient(), draft.id, changeClass!, reason);
      void message.success(t("policies.publish.published", { version: draft.version }));
      await refresh();
      close();
    } catch (cause) {
      setProblem(t("policies.publish.failed", { reason: messageOf(cause) }));
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t("policies.publish.title", { document: documentLabel(draft.document), version: draft.version })}
      okText={t("policies.publish.confirm")}
      cancelText={t("policies.publish.cancel")}
      onOk={() => void submit()}
      onCancel={close}
      confirmLoading={sending}
      width={changeClass === "re_accept" ? 900 : 560}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Paragraph>{t("policies.publish.intro")}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t("policies.publish.changeClass")} required>
            <Radio.Group
              aria-label={t("policies.publish.changeClass")}
              value={changeClass}
              onChange={(event) => setChangeClass(event.target.value as ChangeClass)}
              options={CHANGE_CLASSES.map((value) => ({ value, label: CHANGE_CLASS_LABELS[value] }))}
            />
          </Form.Item>
          {changeClass === "re_accept" ? (
            <Form.Item label={t("policies.publish.reason")} required htmlFor="publish-reason">
              <Input.TextArea id="publish-reason" rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
            </Form.Item>
          ) : null}
        </Form>
        {changeClass === "re_accept" ? (
          inForce.data ? (
            <>
              <Typography.Text strong>{t("policies.publish.diffTitle", { version: inForce.data.version })}</Typography.Text>
              <DiffView older={inForce.data.body_markdown} newer={draft.body_markdown} olderLabel={inForce.data.version} newerLabel={draft.version} />
            </>
          ) : versions.query.isSuccess && !inForceId ? (
            <Typography.Text type="secondary">{t("policies.publish.noneInForce")}</Typography.Text>
          ) : null
        ) : null}
        {problem ? <Alert type="error" showIcon role="alert" message={problem} /> : null}
      </Space>
    </Modal>
  );
}
