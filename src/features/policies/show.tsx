import { useState } from "react";
import { Alert, Button, Descriptions, Segmented, Space, Spin, Tabs, Typography } from "antd";
import { Link, useNavigate, useParams } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { LoadError } from "../../lib/list";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import { BodyView } from "./BodyView";
import { CoverageChart } from "./CoverageChart";
import { StatusTag } from "./columns";
import { POLICY_VERSIONS, usePolicyVersion } from "./data";
import { DiffPanel } from "./DiffPanel";
import { PublishDialog } from "./PublishDialog";
import { Reacceptance } from "./Reacceptance";
import { Sha } from "./Sha";
import { changeClassLabel, documentLabel, type PolicyVersionRow } from "./types";
import "../../i18n/messages/en/policies";

/** One policy version: its facts and hashes, the body (English / Thai), the summary of changes, and a diff. */
export default function PolicyShow() {
  const t = useT();
  const { id = "" } = useParams();
  const version = usePolicyVersion(id);
  const back = <Link to="/policies">{t("policies.show.back")}</Link>;

  if (version.isLoading) return <Spin />;
  if (version.isError)
    return (
      <Space direction="vertical">
        {back}
        <LoadError title={t("policies.show.loadFailed")} error={version.error} onRetry={() => void version.refetch()} />
      </Space>
    );
  if (!version.data)
    return (
      <Space direction="vertical">
        {back}
        <Alert type="warning" showIcon message={t("policies.show.notFound")} />
      </Space>
    );
  return <VersionPage version={version.data} back={back} />;
}

function VersionPage({ version, back }: { version: PolicyVersionRow; back: React.ReactNode }) {
  const t = useT();
  const format = useFormatter();
  const navigate = useNavigate();
  const { roles = [] } = useStaffRoles();
  const [language, setLanguage] = useState<"en" | "th">("en");
  const [publishing, setPublishing] = useState(false);
  const isDraft = version.status === "draft";
  const mayWrite = can(roles, POLICY_VERSIONS, "edit");
  const hasThai = version.body_th !== null;
  const shown = language === "th" && hasThai ? "th" : "en";
  const notSet = t("policies.show.facts.notSet");

  const actions =
    isDraft && mayWrite ? (
      <Space>
        <Button onClick={() => navigate(`/policies/${version.id}/edit`)}>{t("policies.show.edit")}</Button>
        <Button type="primary" onClick={() => setPublishing(true)}>
          {t("policies.show.publish")}
        </Button>
      </Space>
    ) : null;

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {back}
      <PageShell title={t("policies.show.title", { document: documentLabel(version.document), version: version.version })} extra={actions}>
        <Space direction="vertical" style={{ width: "100%" }} size="middle">
          {!isDraft ? <Alert type="info" showIcon message={t("policies.show.immutable")} /> : null}
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t("policies.show.facts.title")}>{version.title}</Descriptions.Item>
            <Descriptions.Item label={t("policies.show.facts.status")}><StatusTag status={version.status} /></Descriptions.Item>
            <Descriptions.Item label={t("policies.show.facts.effective")}>{version.effective_at ? format.dateTime(version.effective_at) : notSet}</Descriptions.Item>
            <Descriptions.Item label={t("policies.show.facts.published")}>
              {version.published_at ? t("policies.list.publishedBy", { when: format.dateTime(version.published_at), who: version.publisher?.display_name ?? version.published_by ?? "" }) : t("policies.list.notPublished")}
            </Descriptions.Item>
            {version.superseded_at ? <Descriptions.Item label={t("policies.show.facts.superseded")}>{format.dateTime(version.superseded_at)}</Descriptions.Item> : null}
            <Descriptions.Item label={t("policies.show.facts.changeClass")}>{changeClassLabel(version.change_class) ?? t("policies.list.unclassified")}</Descriptions.Item>
            <Descriptions.Item label={t("policies.show.facts.shaEn")} span={2}><Sha hash={version.body_sha256} full /></Descriptions.Item>
            {hasThai ? <Descriptions.Item label={t("policies.show.facts.shaTh")} span={2}><Sha hash={version.body_th_sha256} full /></Descriptions.Item> : null}
          </Descriptions>
          {version.change_reason ? (
            <div>
              <Typography.Title level={5}>{t("policies.show.reason")}</Typography.Title>
              <Typography.Paragraph>{version.change_reason}</Typography.Paragraph>
            </div>
          ) : null}
          <div>
            <Typography.Title level={5}>{t("policies.show.summary")}</Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{version.summary_of_changes?.trim() ? version.summary_of_changes : t("policies.show.noSummary")}</Typography.Paragraph>
          </div>
          <Space>
            <Typography.Text>{t("policies.show.language")}</Typography.Text>
            <Segmented<"en" | "th">
              aria-label={t("policies.show.language")}
              value={shown}
              onChange={setLanguage}
              options={[
                { value: "en", label: t("policies.languages.en") },
                { value: "th", label: t("policies.languages.th"), disabled: !hasThai },
              ]}
            />
            {!hasThai ? <Typography.Text type="secondary">{t("policies.show.noThai")}</Typography.Text> : null}
          </Space>
          <Tabs
            items={[
              { key: "body", label: t("policies.show.tabs.body"), children: <BodyView text={shown === "th" ? (version.body_th ?? "") : version.body_markdown} lang={shown} /> },
              { key: "diff", label: t("policies.show.tabs.diff"), children: <DiffPanel version={version} language={shown} /> },
            ]}
          />
          {version.change_class === "re_accept" && can(roles, "consent_events", "read") ? (
            <>
              <Reacceptance versionId={version.id} label={version.version} />
              <CoverageChart versionId={version.id} />
            </>
          ) : null}
        </Space>
      </PageShell>
      {isDraft && mayWrite ? <PublishDialog draft={version} open={publishing} onClose={() => setPublishing(false)} /> : null}
    </Space>
  );
}
