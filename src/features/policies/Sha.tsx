import { Typography } from "antd";
import { useT } from "../../i18n";
import { shortSha } from "./types";
import "../../i18n/messages/en/policies";

/** A SHA-256, short (or whole), with a copy button that copies all 64 hex digits. */
export function Sha({ hash, full = false }: { hash: string | null | undefined; full?: boolean }) {
  const t = useT();
  if (!hash) return <Typography.Text type="secondary">{t("common.status.noValue")}</Typography.Text>;
  return (
    <Typography.Text code copyable={{ text: hash, tooltips: [t("policies.hash.copy")] }} title={t("policies.hash.full", { hash })} style={full ? { wordBreak: "break-all" } : undefined}>
      {full ? hash : shortSha(hash)}
    </Typography.Text>
  );
}
