import { useState } from "react";
import { Alert, DatePicker, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { messageOf } from "../../lib/rpc";
import { useVersionInForce } from "./data";
import { endOfBangkokDay } from "./inForceDay";
import { documentLabel, type PolicyDocument } from "./types";
import "../../i18n/messages/en/policies";

/** "Which version was in force on date X": a date picker calling policy_version_in_force. */
export function InForceLookup({ document }: { document: PolicyDocument }) {
  const t = useT();
  const format = useFormatter();
  const [day, setDay] = useState<string | null>(null);
  const answer = useVersionInForce(document, day ? endOfBangkokDay(day) : null);
  const docName = documentLabel(document).toLowerCase();

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Typography.Text strong>{t("policies.inForce.title")}</Typography.Text>
        <DatePicker
          aria-label={t("policies.inForce.date")}
          format="YYYY-MM-DD"
          onChange={(value: Dayjs | null) => setDay(value ? value.format("YYYY-MM-DD") : null)}
        />
      </Space>
      {day && answer.isError ? <Alert type="error" showIcon message={t("policies.inForce.failed", { reason: messageOf(answer.error) })} /> : null}
      {day && answer.isSuccess ? (
        answer.data ? (
          <Alert
            type="info"
            showIcon
            role="status"
            message={t("policies.inForce.answer", {
              date: day,
              document: docName,
              version: answer.data.version,
              title: answer.data.title,
              effective: format.dateTime(answer.data.effective_at),
            })}
            action={<Link to={`/policies/${answer.data.id}`}>{t("policies.inForce.open")}</Link>}
          />
        ) : (
          <Alert type="warning" showIcon role="status" message={t("policies.inForce.none", { document: docName, date: day })} />
        )
      ) : null}
    </Space>
  );
}
