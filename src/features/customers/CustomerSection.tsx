import type { ReactNode } from "react";
import type { BaseRecord } from "@refinedev/core";
import { Alert, Card, Empty, Spin, Table, type TableProps } from "antd";
import type { ColumnsType, ColumnType } from "antd/es/table";
import { useT } from "../../i18n";
import type { customers } from "../../i18n/messages/en/customers";
import { useCustomerSection, type CustomerSection, type SectionRow } from "./data";
import "../../i18n/messages/en/customers";

interface QueryState {
  isLoading: boolean;
  isError: boolean;
  error: { message?: string } | null;
}

/** A titled card that shows its own loading, error and empty states, so one failing section never blanks the page. */
export function SectionCard({ title, query, count, empty, children }: { title: string; query: QueryState; count: number; empty: string; children: ReactNode }) {
  const t = useT();
  const what = title.toLowerCase();
  let body: ReactNode = children;
  if (query.isLoading)
    body = (
      <Spin tip={t("customers.show.sectionLoading", { what })}>
        <div style={{ height: 48 }} />
      </Spin>
    );
  else if (query.isError) body = <Alert type="error" showIcon message={t("customers.show.sectionFailed", { what })} description={query.error?.message} />;
  else if (count === 0) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <Card title={title} size="small" role="region" aria-label={title}>
      {body}
    </Card>
  );
}

/** One column of a section: its heading (a word of `customers.columns`), the field it shows and how. */
export type ColumnSpec<Row> = Pick<ColumnType<Row>, "render" | "align" | "ellipsis"> & {
  word: keyof typeof customers.columns;
  field: keyof Row & string;
  /** Shown only to roles that may see Stripe ids. */
  stripe?: true;
};

/** How a section shows its rows. */
export interface SectionSpec<S extends CustomerSection> {
  columns: readonly ColumnSpec<SectionRow<S>>[];
  /** Wide tables scroll sideways rather than squeeze their columns. */
  wide?: true;
  rowKey?: keyof SectionRow<S> & string;
}

type RowsSectionProps<S extends CustomerSection> = {
  section: S;
  spec: SectionSpec<S>;
  customerId: string;
  showStripe?: boolean;
  /** Columns after the section's own (the payments' refund actions). */
  moreColumns?: ColumnsType<SectionRow<S>>;
  /** Shown above and below the table (the payments' refund error and modal). */
  before?: ReactNode;
  after?: ReactNode;
} & Pick<TableProps<SectionRow<S>>, "expandable">;

/** One section of the customer page: its rows of this customer in a table, titled and worded from the catalogue. */
export function RowsSection<S extends CustomerSection>({ section, spec, customerId, showStripe = false, moreColumns = [], before, after, expandable }: RowsSectionProps<S>) {
  const t = useT();
  const { query, result } = useCustomerSection(section, customerId);
  const words: CustomerSection = section;
  const columns: ColumnsType<SectionRow<S>> = [
    ...spec.columns
      .filter((column) => showStripe || !column.stripe)
      .map(({ word, field, stripe: _stripe, ...shown }) => ({ title: t(`customers.columns.${word}`), dataIndex: field, ...shown })),
    ...moreColumns,
  ];
  return (
    <SectionCard title={t(`customers.sections.${words}.title`)} query={query} count={result.data.length} empty={t(`customers.sections.${words}.empty`)}>
      {before}
      <Table<SectionRow<S> & BaseRecord>
        rowKey={spec.rowKey ?? "id"}
        size="small"
        pagination={false}
        columns={columns}
        dataSource={result.data}
        {...(spec.wide ? { scroll: { x: true } } : {})}
        {...(expandable ? { expandable } : {})}
      />
      {after}
    </SectionCard>
  );
}
