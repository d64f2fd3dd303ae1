/** The Reconcile tab: upload a Stripe file or pull from Stripe, then the run's progress or result. */
import { CloudDownloadOutlined, InboxOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Space, Typography, Upload } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useT } from "../../i18n";
import "../../i18n/messages/en/reconciliation";
import type { ReconcileWorkerLike } from "./client";
import { DemoFiles } from "./DemoFiles";
import { RunView } from "./RunView";
import { useReconcileRun } from "./useReconcileRun";

export function ReconcilePanel({ createWorker, onOpenRun }: { createWorker: (() => ReconcileWorkerLike) | undefined; onOpenRun: (id: string) => void }) {
  const t = useT();
  const { run, startFile, startPull, retrySave } = useReconcileRun(createWorker);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const running = run.status === "running";
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Card size="small" title={t("reconciliation.upload.title")}>
        <Upload.Dragger
          accept=".csv,text/csv"
          multiple={false}
          showUploadList={false}
          disabled={running}
          beforeUpload={(file) => {
            void startFile(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t("reconciliation.upload.drop")}</p>
          <p className="ant-upload-hint">{t("reconciliation.upload.hint")}</p>
        </Upload.Dragger>
        <DemoFiles />
      </Card>
      <Card size="small" title={t("reconciliation.pull.title")}>
        <Space wrap>
          <DatePicker.RangePicker
            aria-label={t("reconciliation.pull.period")}
            value={range}
            onChange={(value) => setRange(value as [Dayjs | null, Dayjs | null] | null)}
          />
          <Button
            icon={<CloudDownloadOutlined />}
            onClick={() => {
              if (range?.[0] && range[1]) void startPull([range[0], range[1]]);
            }}
            disabled={running || !range?.[0] || !range[1]}
          >
            {t("reconciliation.pull.button")}
          </Button>
          <Typography.Text type="secondary">{t("reconciliation.pull.hint")}</Typography.Text>
        </Space>
      </Card>
      <RunView run={run} onOpenRun={onOpenRun} onRetrySave={(done) => void retrySave(done)} />
    </Space>
  );
}
