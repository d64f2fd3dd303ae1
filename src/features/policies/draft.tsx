import { useState } from "react";
import { Alert, App, Button, DatePicker, Form, Input, Select, Space, Spin, Tabs } from "antd";
import dayjs from "dayjs";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import { LoadError } from "../../lib/list";
import { messageOf } from "../../lib/rpc";
import { useSupabaseClient } from "../../providers/supabaseContext";
import { saveDraft } from "./api";
import { BodyView } from "./BodyView";
import { usePoliciesRefresh, usePolicyVersion } from "./data";
import { draftInput, fieldsOf, type DraftFields } from "./draftForm";
import { documentOf } from "./state";
import { DOCUMENT_LABELS, POLICY_DOCUMENTS, type PolicyVersionRow } from "./types";
import "../../i18n/messages/en/policies";

/** `/policies/new` (a new draft) and `/policies/:id/edit` (a draft; a published version has nothing to edit). */
export default function PolicyDraft() {
  const t = useT();
  const { id } = useParams();
  const existing = usePolicyVersion(id);
  if (!id) return <DraftForm row={null} />;
  if (existing.isLoading) return <Spin />;
  if (existing.isError) return <LoadError title={t("policies.show.loadFailed")} error={existing.error} onRetry={() => void existing.refetch()} />;
  if (!existing.data) return <Alert type="warning" showIcon message={t("policies.show.notFound")} />;
  if (existing.data.status !== "draft")
    return (
      <Space direction="vertical">
        <Link to={`/policies/${existing.data.id}`}>{existing.data.version}</Link>
        <Alert type="info" showIcon message={t("policies.show.immutable")} />
      </Space>
    );
  return <DraftForm row={existing.data} />;
}

/** A markdown body with a Write / Preview switch (the preview is the same safe, preformatted rendering as the page). */
function BodyField({ id, label, value, onChange, lang }: { id: string; label: string; value: string; onChange: (v: string) => void; lang: "en" | "th" }) {
  const t = useT();
  return (
    <Form.Item label={label} htmlFor={id}>
      <Tabs
        size="small"
        items={[
          { key: "write", label: t("policies.draft.write"), children: <Input.TextArea id={id} rows={14} value={value} onChange={(e) => onChange(e.target.value)} style={{ fontFamily: "monospace" }} /> },
          { key: "preview", label: t("policies.draft.preview"), children: <BodyView text={value} lang={lang} /> },
        ]}
      />
    </Form.Item>
  );
}

function DraftForm({ row }: { row: PolicyVersionRow | null }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const getClient = useSupabaseClient();
  const refresh = usePoliciesRefresh();
  const [fields, setFields] = useState<DraftFields>(() => fieldsOf(row, documentOf(search.get("document"))));
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof DraftFields>(key: K) => (value: DraftFields[K]) => setFields((f) => ({ ...f, [key]: value }));

  const save = async () => {
    const built = draftInput(fields);
    if ("problem" in built) {
      setProblem(t(`policies.draft.errors.${built.problem}`));
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      const saved = await saveDraft(await getClient(), built.input, row?.id);
      void message.success(t("policies.draft.saved"));
      await refresh();
      navigate(`/policies/${saved.id}`);
    } catch (cause) {
      setProblem(t("policies.draft.errors.failed", { reason: messageOf(cause) }));
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageShell title={row ? t("policies.draft.editTitle", { version: row.version }) : t("policies.draft.createTitle")}>
      <Form layout="vertical" onFinish={() => void save()}>
        <Space wrap align="start">
          <Form.Item label={t("policies.draft.document")} htmlFor="draft-document">
            <Select
              id="draft-document"
              style={{ width: 200 }}
              disabled={!!row}
              value={fields.document}
              onChange={set("document")}
              options={POLICY_DOCUMENTS.map((value) => ({ value, label: DOCUMENT_LABELS[value] }))}
            />
          </Form.Item>
          <Form.Item label={t("policies.draft.version")} htmlFor="draft-version" required>
            <Input id="draft-version" style={{ width: 160 }} value={fields.version} onChange={(e) => set("version")(e.target.value)} />
          </Form.Item>
          <Form.Item label={t("policies.draft.effective")} htmlFor="draft-effective">
            <DatePicker
              id="draft-effective"
              format="YYYY-MM-DD"
              value={fields.effectiveDay ? dayjs(fields.effectiveDay) : null}
              onChange={(value) => set("effectiveDay")(value ? value.format("YYYY-MM-DD") : "")}
            />
          </Form.Item>
        </Space>
        <Form.Item label={t("policies.draft.title")} htmlFor="draft-title" required>
          <Input id="draft-title" value={fields.title} onChange={(e) => set("title")(e.target.value)} />
        </Form.Item>
        <BodyField id="draft-body-en" label={t("policies.draft.bodyEn")} value={fields.bodyEn} onChange={set("bodyEn")} lang="en" />
        <BodyField id="draft-body-th" label={t("policies.draft.bodyTh")} value={fields.bodyTh} onChange={set("bodyTh")} lang="th" />
        <Form.Item label={t("policies.draft.summary")} htmlFor="draft-summary">
          <Input.TextArea id="draft-summary" rows={3} value={fields.summary} onChange={(e) => set("summary")(e.target.value)} />
        </Form.Item>
        {problem ? <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} /> : null}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t("policies.draft.save")}
          </Button>
          <Button onClick={() => navigate(row ? `/policies/${row.id}` : "/policies")}>{t("policies.draft.cancel")}</Button>
        </Space>
      </Form>
    </PageShell>
  );
}
