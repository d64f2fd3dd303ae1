import { Typography } from "antd";
import { StatusResult as Result } from "./StatusResult";
import { useT } from "../i18n";

/** A half-configured build must say what is missing, not fall back silently to the wrong backend. */
export function ConfigErrorPage({ message, missing }: { message: string; missing: readonly string[] }) {
  const t = useT();
  return (
    <Result
      status="error"
      title={t("common.config.title")}
      subTitle={message}
      extra={
        missing.length > 0 ? (
          <Typography.Paragraph>
            {t("common.config.missing")} {missing.map((name) => <Typography.Text code key={name}>{name}</Typography.Text>)}
          </Typography.Paragraph>
        ) : null
      }
    />
  );
}
