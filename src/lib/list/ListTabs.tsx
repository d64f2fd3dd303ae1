/** Tabs over a list, each with the count of rows it holds (a badge that says "…" while counting). */
import { Badge, Tabs } from "antd";
import { useT } from "../../i18n";
import "../../i18n/messages/en/list"; // the kit's words load with the lists, not the first page

export interface ListTab<Tab extends string> {
  key: Tab;
  label: string;
  /** Omit for a tab without a badge; undefined while the count loads. */
  count?: number | undefined;
  showCount?: boolean;
  /** The badge's colour; grey when not given. */
  color?: string | undefined;
  /** What the badge says to a screen reader ("12 requests"). */
  countLabel?: string | undefined;
}

export function ListTabs<Tab extends string>({ tabs, active, onChange }: { tabs: readonly ListTab<Tab>[]; active: Tab; onChange: (tab: Tab) => void }) {
  const t = useT();
  return (
    <Tabs
      activeKey={active}
      onChange={(key) => onChange(key as Tab)}
      items={tabs.map((tab) => ({
        key: tab.key,
        label:
          tab.showCount === false ? (
            tab.label
          ) : (
            <span>
              {tab.label}{" "}
              <Badge count={tab.count ?? t("list.countLoading")} showZero overflowCount={9999} color={tab.color ?? "#8c8c8c"} aria-label={tab.countLabel} />
            </span>
          ),
      }))}
    />
  );
}
