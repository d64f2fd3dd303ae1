/** Wiring an antd Table to a list's URL state: sort arrows from the state, clicks and pages back into it. */
import type { TableProps } from "antd";
import type { SortOrder as AntdSortOrder } from "antd/es/table/interface";
import type { KeyboardEvent, MouseEvent } from "react";
import type { SortState } from "./urlState";

export function sortOrderOf<S extends string>(sort: SortState<S>, field: S): AntdSortOrder {
  return sort.field === field ? (sort.order === "asc" ? "ascend" : "descend") : null;
}

/** Table.onChange: a header click sets the sort (clearing it restores `defaultSort`), the pager sets the page. */
export function tableChangeHandler<Row, S extends string>({
  onSort,
  onPage,
  defaultSort,
}: {
  onSort: (sort: SortState<S>) => void;
  onPage: (page: number) => void;
  defaultSort: SortState<S>;
}): NonNullable<TableProps<Row>["onChange"]> {
  return (pagination, _filters, sorter, extra) => {
    if (extra.action === "sort") {
      const active = (Array.isArray(sorter) ? sorter : [sorter]).find((s) => s.order);
      const field = active ? String(active.columnKey ?? active.field) : undefined;
      onSort(active && field ? { field: field as S, order: active.order === "ascend" ? "asc" : "desc" } : defaultSort);
    } else if (extra.action === "paginate" && pagination.current) {
      onPage(pagination.current);
    }
  };
}

/** What handles its own clicks inside a row: selection boxes, buttons and (unless they stand in for the row) links. */
const ROW_CONTROLS = ".ant-checkbox-wrapper, .ant-table-selection-column, button";

/**
 * Rows that open with a click or with Enter, reachable with Tab: the table is usable from the keyboard. Clicks on
 * a selection box, a button or a link inside the row, and modified clicks (new tab), are left to them; with
 * `linksOpenTheRow` a plain click on a link that only stands in for the row opens it through the row.
 */
export function openableRow(label: string, open: () => void, { linksOpenTheRow = false }: { linksOpenTheRow?: boolean } = {}) {
  const leaveTo = linksOpenTheRow ? ROW_CONTROLS : `${ROW_CONTROLS}, a`;
  return {
    tabIndex: 0,
    "aria-label": label,
    style: { cursor: "pointer" },
    onClick: (event: MouseEvent<HTMLElement>) => {
      const target = event.target as HTMLElement;
      if (target.closest(leaveTo)) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
      open();
    },
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (event.key === "Enter" && event.target === event.currentTarget) open();
    },
  };
}
