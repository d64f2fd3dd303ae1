/** What every fulfilment panel is made of: the titled region, the refusal line, and the panel's guarded action. */
import type { ReactNode } from "react";
import { Alert, App, Card, Space, Typography } from "antd";
import { useT } from "../../../i18n";
import "../../../i18n/messages/en/dsar";
import { useGuardedAction } from "../../../lib/useGuardedAction";

export function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card title={title} size="small" role="region" aria-label={title}>
      <Space direction="vertical" style={{ width: "100%" }}>
        {children}
      </Space>
    </Card>
  );
}

/** Why the last action was refused (the database's own sentence, or the panel's check). */
export function ErrorLine({ error }: { error: string | null }) {
  const t = useT();
  return error ? <Alert type="error" showIcon message={t("dsar.notDone")} description={error} /> : null;
}

/** A message with one value shown as code (a reference, a hash); `message` fills its placeholder with what it is given. */
export function TextWithCode({ message, code }: { message: (value: string) => string; code: string }) {
  const marker = "\u0000";
  const [before = "", after = ""] = message(marker).split(marker);
  return (
    <>
      {before}
      <Typography.Text code>{code}</Typography.Text>
      {after}
    </>
  );
}

interface PanelActionOptions {
  /** Said once the action went through. */
  success?: string;
  /** The panel's own reason not to send it (a missing field); shown instead, and nothing is sent. */
  refusal?: string | null;
}

/**
 * A panel's action, one at a time (useGuardedAction: a second click while it runs does nothing): checked first,
 * then run once; a refusal stays on the panel's error line, a success is said in a toast.
 */
export function usePanelAction() {
  const { message } = App.useApp();
  const { pending, error, setError, guard } = useGuardedAction();
  const run = (work: () => Promise<unknown>, { success, refusal }: PanelActionOptions = {}) => {
    if (refusal) {
      setError(refusal);
      return;
    }
    void guard(async () => {
      await work();
      if (success) void message.success(success);
    });
  };
  return { pending, error, run };
}

export type PanelAction = ReturnType<typeof usePanelAction>;
