import type { ReactNode } from "react";
import { Alert, Card, Empty, Space, Spin, Timeline, Typography } from "antd";
import { useT, type TFunction } from "../../i18n";
import { useFormatter } from "../../i18n/format";
import { useDsarEvents } from "./data";
import { DSAR_EVENT_KINDS, STATUS_LABELS, type DsarEventKind, type DsarEventRow, type DsarStatus } from "./types";

const EVENT_COLOURS: Partial<Record<DsarEventKind, string>> = {
  status_changed: "blue",
  erasure_executed: "red",
  export_generated: "green",
  email_sent: "green",
  certificate_issued: "green",
  extended: "orange",
};

/** The details an event may carry that are safe and short to show, in the order shown. */
const FACT_KEYS = ["manifest_sha256", "days", "extension_days", "method", "purposes", "restricted", "processor", "language", "fields"] as const;

const isEventKind = (kind: string): kind is DsarEventKind => (DSAR_EVENT_KINDS as readonly string[]).includes(kind);

/** Safe, short facts from an event's details (counts, hashes, purposes); never whole payloads. */
function detailLine(event: DsarEventRow, t: TFunction): string | null {
  const d = event.details ?? {};
  const parts = FACT_KEYS.flatMap((key) => {
    const value = d[key];
    if (value === undefined || value === null || value === "") return [];
    const text = Array.isArray(value) ? value.join(", ") : typeof value === "object" ? JSON.stringify(value) : String(value);
    return [t("dsar.timeline.fact", { label: t(`dsar.timeline.facts.${key}`), value: text })];
  });
  return parts.length > 0 ? parts.join(" · ") : null;
}

function statusLabel(status: string | null, noValue: string): string {
  return status ? (STATUS_LABELS[status as DsarStatus] ?? status) : noValue;
}

/** The request's events, newest first: what happened, the move between statuses, who did it and when. */
export function TimelineSection({ requestId, staffNames }: { requestId: string; staffNames: Map<string, string> }) {
  const t = useT();
  const format = useFormatter();
  const { query, result } = useDsarEvents(requestId, true);
  const noValue = t("common.status.noValue");
  let body: ReactNode;
  if (query.isLoading) body = <Spin />;
  else if (query.isError) body = <Alert type="error" showIcon message={t("dsar.timeline.loadFailed")} description={query.error?.message} />;
  else if (result.data.length === 0) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("dsar.timeline.empty")} />;
  else
    body = (
      <Timeline
        items={result.data.map((event) => {
          const line = detailLine(event, t);
          return {
            key: String(event.id),
            color: EVENT_COLOURS[event.kind] ?? "gray",
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>
                  {isEventKind(event.kind) ? t(`dsar.events.${event.kind}`) : event.kind}
                  {event.from_status || event.to_status ? (
                    <Typography.Text type="secondary">
                      {" "}
                      {statusLabel(event.from_status, noValue)} →{" "}
                      {statusLabel(event.to_status, noValue)}
                    </Typography.Text>
                  ) : null}
                </Typography.Text>
                {event.note ? <Typography.Text>{event.note}</Typography.Text> : null}
                {line ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{line}</Typography.Text> : null}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {format.dateTime(event.occurred_at)} ·{" "}
                  {event.actor_staff_id ? staffNames.get(event.actor_staff_id) ?? t("dsar.timeline.staff") : t("dsar.request.appActor")}
                </Typography.Text>
              </Space>
            ),
          };
        })}
      />
    );
  return (
    <Card title={t("dsar.timeline.title")} size="small" role="region" aria-label={t("dsar.timeline.title")}>
      {body}
    </Card>
  );
}
