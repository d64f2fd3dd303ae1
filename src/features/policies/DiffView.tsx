import { useMemo } from "react";
import { Typography } from "antd";
import { useT } from "../../i18n";
import { diffCounts, diffLines, type DiffOp } from "./diff";
import "../../i18n/messages/en/policies";

const LINE_STYLE: Record<DiffOp, { background?: string; marker: string }> = {
  same: { marker: " " },
  added: { background: "#e6ffec", marker: "+" },
  removed: { background: "#ffebe9", marker: "-" },
};

/** The line diff from `older` to `newer` (both texts as plain text; nothing is interpreted as HTML). */
export function DiffView({ older, newer, olderLabel, newerLabel }: { older: string; newer: string; olderLabel: string; newerLabel: string }) {
  const t = useT();
  const lines = useMemo(() => diffLines(older, newer), [older, newer]);
  const { added, removed } = diffCounts(lines);
  const opWord: Record<DiffOp, string> = { same: t("policies.diff.kept"), added: t("policies.diff.added"), removed: t("policies.diff.removed") };
  return (
    <div>
      <Typography.Paragraph>
        {added + removed === 0 ? t("policies.diff.identical") : t("policies.diff.counts", { added: String(added), removed: String(removed), older: olderLabel, newer: newerLabel })}
      </Typography.Paragraph>
      <div
        role="list"
        aria-label={t("policies.diff.tableLabel", { older: olderLabel, newer: newerLabel })}
        style={{ fontFamily: "monospace", fontSize: 13, border: "1px solid #f0f0f0", maxHeight: 480, overflow: "auto" }}
      >
        {lines.map((line, index) => (
          <div
            key={index}
            role="listitem"
            data-op={line.op}
            aria-label={line.op === "same" ? undefined : `${opWord[line.op]}: ${line.text}`}
            style={{ background: LINE_STYLE[line.op].background, whiteSpace: "pre-wrap", display: "flex", gap: 8, padding: "0 8px" }}
          >
            <span style={{ color: "#999", minWidth: 32, textAlign: "right" }}>{line.oldLine ?? ""}</span>
            <span style={{ color: "#999", minWidth: 32, textAlign: "right" }}>{line.newLine ?? ""}</span>
            <span aria-hidden>{LINE_STYLE[line.op].marker}</span>
            <span>{line.text}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
