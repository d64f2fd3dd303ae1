import { useMemo, useState } from "react";
import { Alert, App, Button, Card, Input, Radio, Select, Space, Typography } from "antd";
import { useT } from "../../i18n";
import "../../i18n/messages/en/dsar";
import { useGuardedAction } from "../../lib/useGuardedAction";
import { useDsarActions } from "./data";
import { dueDateOfDeadline } from "./sla";
import {
  mailtoLink,
  renderResponse,
  RESPONSE_TEMPLATES,
  suggestedTemplate,
  TEMPLATE_LABELS,
  type ResponseLanguage,
  type ResponseTemplate,
} from "./templates";
import type { DsarQueueRow } from "./types";

/** Draft the reply from a template, edit it, copy it or open it in the mail client, and record it. */
export function ResponsePanel({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const actions = useDsarActions();
  const { message } = App.useApp();
  const [language, setLanguage] = useState<ResponseLanguage>("th");
  const [template, setTemplate] = useState<ResponseTemplate>(suggestedTemplate(request.status, request.extension_days));
  const [edited, setEdited] = useState<{ key: string; text: string } | null>(null);
  const { pending, error, guard } = useGuardedAction();

  const draft = useMemo(() => {
    try {
      return {
        draft: renderResponse(template, language, {
          reference: request.reference,
          type: request.type,
          requesterName: request.customer_display_name,
          receivedAt: request.received_at,
          promiseDueOn: dueDateOfDeadline(request.promise_due_at),
          statutoryDueOn: request.statutory_due_on,
          extensionDays: request.extension_days,
          extensionReason: request.extension_reason,
          refusalGround: request.refusal_ground,
        }),
        problem: null,
      };
    } catch (cause) {
      return { draft: null, problem: (cause as Error).message };
    }
  }, [template, language, request]);

  // Edits belong to one template and language: switching either starts again from the filled template.
  const draftKey = `${template}|${language}|${request.updated_at}`;
  const body = edited && edited.key === draftKey ? edited.text : (draft.draft?.body ?? "");
  const setBody = (text: string) => setEdited({ key: draftKey, text });

  const record = (sent: boolean) =>
    guard(async () => {
      await actions.recordResponse({ requestId: request.id, language, body, sent });
      void message.success(sent ? t("dsar.response.recordedSent") : t("dsar.response.recordedDraft"));
    });

  const subject = draft.draft?.subject ?? "";
  let mailto: string | null = null;
  try {
    mailto = body ? mailtoLink(request.requester_email, { subject, body }) : null;
  } catch {
    mailto = null;
  }

  return (
    <Card title={t("dsar.response.title")} size="small" role="region" aria-label={t("dsar.response.title")}>
      <Space direction="vertical" style={{ width: "100%" }}>
        <Space wrap>
          <Radio.Group
            aria-label={t("dsar.response.language")}
            value={language}
            onChange={(e) => setLanguage(e.target.value as ResponseLanguage)}
            options={[
              { value: "th", label: t("dsar.response.thai") },
              { value: "en", label: t("dsar.response.english") },
            ]}
            optionType="button"
          />
          <Select
            aria-label={t("dsar.response.template")}
            style={{ width: 240 }}
            value={template}
            onChange={setTemplate}
            options={RESPONSE_TEMPLATES.map((value) => ({ value, label: TEMPLATE_LABELS[value] }))}
          />
        </Space>
        {draft.problem ? <Alert type="warning" showIcon message={draft.problem} /> : null}
        {error ? <Alert type="error" showIcon message={t("dsar.response.notRecorded")} description={error} /> : null}
        <Typography.Text>
          <strong>{t("dsar.response.to")}</strong> {request.requester_email} · <strong>{t("dsar.response.subject")}</strong> {subject || t("common.status.noValue")}
        </Typography.Text>
        <Input.TextArea aria-label={t("dsar.response.text")} rows={12} value={body} onChange={(e) => setBody(e.target.value)} />
        <Space wrap>
          <Button
            disabled={!body}
            onClick={() => {
              const refused = () => void message.error(t("dsar.response.clipboardRefused"));
              if (!navigator.clipboard) return refused();
              navigator.clipboard.writeText(`${subject}\n\n${body}`).then(() => void message.success(t("dsar.response.copied")), refused);
            }}
          >
            {t("dsar.response.copy")}
          </Button>
          <Button href={mailto ?? undefined} disabled={!mailto}>
            {t("dsar.response.openMail")}
          </Button>
          <Button onClick={() => void record(false)} disabled={!body || pending}>
            {t("dsar.response.recordDraft")}
          </Button>
          <Button type="primary" onClick={() => void record(true)} disabled={!body || pending} loading={pending}>
            {t("dsar.response.markSent")}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
