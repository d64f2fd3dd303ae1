import { Typography } from "antd";
import { useT } from "../../i18n";
import "../../i18n/messages/en/policies";

/**
 * A policy body as the customer's markdown source, preformatted: nothing in it is interpreted as HTML (no markdown
 * library in the app, and a policy's text must read exactly as hashed). Headings and lists stay legible as written.
 */
export function BodyView({ text, lang }: { text: string; lang: "en" | "th" }) {
  const t = useT();
  return (
    <pre lang={lang} style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", fontFamily: "inherit", background: "#fafafa", padding: 16, margin: 0, maxHeight: 600, overflow: "auto" }}>
      {text.trim() ? text : <Typography.Text type="secondary">{t("policies.show.emptyBody")}</Typography.Text>}
    </pre>
  );
}
