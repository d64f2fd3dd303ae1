/**
 * Bulk selection that belongs to one view of a list: changing the tab or the filters starts with nothing selected,
 * so an action never reaches rows the user can no longer see. Results come back per row (done or refused, and why).
 */
import { useState } from "react";
import { Alert, Table, Tag } from "antd";
import { useT } from "../../i18n";
import "../../i18n/messages/en/list"; // the kit's words load with the lists, not the first page

export function useScopedSelection(scope: string): { selected: string[]; setSelected: (ids: string[]) => void } {
  const [selection, setSelection] = useState<{ scope: string; ids: string[] }>({ scope, ids: [] });
  return {
    selected: selection.scope === scope ? selection.ids : [],
    setSelected: (ids) => setSelection({ scope, ids }),
  };
}

export interface BulkRowResult {
  key: string;
  /** How the row is known to the user (a reference, an email). */
  label: string;
  ok: boolean;
  error: string | null;
}

export interface BulkOutcome {
  action: string;
  rows: BulkRowResult[];
}

export function BulkResults({ outcome, onClose, rowTitle }: { outcome: BulkOutcome; onClose: () => void; rowTitle?: string }) {
  const t = useT();
  const refused = outcome.rows.filter((row) => !row.ok).length;
  return (
    <Alert
      type={refused === 0 ? "success" : refused === outcome.rows.length ? "error" : "warning"}
      closable
      onClose={onClose}
      message={t("list.bulkSummary", { action: outcome.action, done: outcome.rows.length - refused, refused })}
      description={
        <Table<BulkRowResult>
          size="small"
          rowKey="key"
          aria-label={t("list.bulkResultsLabel")}
          pagination={false}
          dataSource={outcome.rows}
          columns={[
            { title: rowTitle ?? t("list.bulkColumns.row"), dataIndex: "label" },
            {
              title: t("list.bulkColumns.result"),
              dataIndex: "ok",
              render: (ok: boolean) => (ok ? <Tag color="green">{t("list.bulkDone")}</Tag> : <Tag color="red">{t("list.bulkRefused")}</Tag>),
            },
            { title: t("list.bulkColumns.why"), dataIndex: "error", render: (why: string | null) => why ?? t("common.status.noValue") },
          ]}
        />
      }
    />
  );
}
