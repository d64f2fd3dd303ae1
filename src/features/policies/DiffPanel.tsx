import { useState } from "react";
import { Select, Space, Spin, Typography } from "antd";
import { useT } from "../../i18n";
import { messageOf } from "../../lib/rpc";
import { useDocumentVersions, usePolicyVersion } from "./data";
import { DiffView } from "./DiffView";
import { statusLabel, type PolicyVersionRow } from "./types";
import "../../i18n/messages/en/policies";

/** Which of two versions is the older: by effective date, then creation (a draft without a date is the newest). */
function isOlder(a: PolicyVersionRow, b: PolicyVersionRow): boolean {
  const key = (v: PolicyVersionRow) => `${v.effective_at ?? "9999"}|${v.created_at}`;
  return key(a) < key(b);
}

/** The diff of this version against any other version of the same document, in the chosen language's body. */
export function DiffPanel({ version, language }: { version: PolicyVersionRow; language: "en" | "th" }) {
  const t = useT();
  const versions = useDocumentVersions(version.document);
  const others = (versions.result.data ?? []).filter((v) => v.id !== version.id);
  const [otherId, setOtherId] = useState<string | undefined>(undefined);
  const chosen = otherId ?? others.find((v) => v.status === "published")?.id ?? others[0]?.id;
  const other = usePolicyVersion(chosen);

  if (!versions.query.isLoading && others.length === 0) return <Typography.Text type="secondary">{t("policies.diff.noOther")}</Typography.Text>;
  const bodyOf = (v: PolicyVersionRow) => (language === "th" ? (v.body_th ?? "") : v.body_markdown);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space>
        <Typography.Text>{t("policies.diff.against")}</Typography.Text>
        <Select
          aria-label={t("policies.diff.against")}
          placeholder={t("policies.diff.pick")}
          style={{ minWidth: 260 }}
          value={chosen}
          onChange={setOtherId}
          options={others.map((v) => ({ value: v.id, label: `${v.version} · ${statusLabel(v.status)}` }))}
        />
      </Space>
      {other.isLoading ? <Spin /> : null}
      {other.isError ? <Typography.Text type="danger">{messageOf(other.error)}</Typography.Text> : null}
      {other.data ? (
        isOlder(other.data, version) ? (
          <DiffView older={bodyOf(other.data)} newer={bodyOf(version)} olderLabel={other.data.version} newerLabel={version.version} />
        ) : (
          <DiffView older={bodyOf(version)} newer={bodyOf(other.data)} olderLabel={version.version} newerLabel={other.data.version} />
        )
      ) : null}
    </Space>
  );
}
