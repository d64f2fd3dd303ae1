/**
 * The list kit in a small list page of its own: URL state, the filter draft, tabs with counts, scoped selection,
 * bulk results, CSV export and keyboard-openable rows, each as a user meets it.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Button, Input, Select, Table } from "antd";
import { MemoryRouter, useLocation } from "react-router";
import { describe, expect, it, vi } from "vitest";
import {
  BulkResults,
  CsvExportButton,
  dayRangeFilters,
  defineListState,
  filtersOrNone,
  ListTabs,
  openableRow,
  param,
  sortOrderOf,
  tableChangeHandler,
  useFilterDraft,
  useListUrlState,
  useScopedSelection,
  wholeNumberRangeFilters,
} from "./index";
import type { CsvExportSource } from "../csvExport";

const COLOURS = ["red", "green"] as const;
const isColour = (v: string): v is (typeof COLOURS)[number] => (COLOURS as readonly string[]).includes(v);

const codec = defineListState({
  tabs: { values: ["open", "closed"] as const, default: "open" },
  filters: { search: param.text("q"), colours: param.listOf("colour", isColour), min: param.integer("min"), from: param.date("from"), to: param.date("to") },
  sort: { fields: ["name", "size"] as const, default: { field: "name", order: "asc" } },
});
type Filters = typeof codec.emptyFilters;
const build = (f: Filters) => [
  ...dayRangeFilters("made_at", f, "Made"),
  ...wholeNumberRangeFilters("size", { min: f.min, max: "" }, { min: "Minimum size", max: "Maximum size", range: "Size", unit: "items", example: "3" }),
];

interface Row {
  id: string;
  name: string;
}
const ROWS: Row[] = [
  { id: "a", name: "Alpha" },
  { id: "b", name: "Beta" },
];

function Location() {
  const location = useLocation();
  return <output aria-label="url">{location.search}</output>;
}

function DemoList({ onOpen, counts }: { onOpen: (id: string) => void; counts?: Partial<Record<"open" | "closed", number>> }) {
  const { state, setTab, setFilters, setSort, setPage } = useListUrlState(codec);
  const bar = useFilterDraft({ applied: state.filters, empty: codec.emptyFilters, validate: build, onApply: setFilters, normalise: codec.normaliseFilters });
  const { selected, setSelected } = useScopedSelection(`${state.tab}|${JSON.stringify(state.filters)}`);
  return (
    <>
      <ListTabs
        active={state.tab}
        onChange={setTab}
        tabs={[
          { key: "open", label: "Open", count: counts?.open, countLabel: `${counts?.open ?? "loading"} open` },
          { key: "closed", label: "Closed", count: counts?.closed },
        ]}
      />
      <Input aria-label="Search" value={bar.draft.search} onChange={(e) => bar.updateLater({ search: e.target.value })} onPressEnter={bar.applyDraft} />
      <Input aria-label="Minimum size" value={bar.draft.min} onChange={(e) => bar.updateLater({ min: e.target.value })} onPressEnter={bar.applyDraft} />
      <Select aria-label="Colour" mode="multiple" value={bar.draft.colours} onChange={(colours) => bar.update({ colours })} options={COLOURS.map((value) => ({ value, label: value }))} />
      <Button onClick={bar.clear}>Clear filters</Button>
      {bar.error ? <p aria-label="filter error">{bar.error}</p> : null}
      <output aria-label="query filters">{JSON.stringify(filtersOrNone(build, state.filters))}</output>
      <output aria-label="selected">{selected.join(",")}</output>
      <Table<Row>
        rowKey="id"
        dataSource={ROWS}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
        columns={[{ title: "Name", dataIndex: "name", key: "name", sorter: true, sortOrder: sortOrderOf(state.sort, "name") }]}
        pagination={{ current: state.page, pageSize: 1, total: 2 }}
        onChange={tableChangeHandler<Row, "name" | "size">({ onSort: setSort, onPage: setPage, defaultSort: codec.defaults.sort })}
        onRow={(row) => openableRow(`Open ${row.name}`, () => onOpen(row.id))}
      />
      <Location />
    </>
  );
}

/** antd's Input takes one Enter per key press: down, then up. */
function pressEnter(element: HTMLElement) {
  fireEvent.keyDown(element, { key: "Enter", code: "Enter", charCode: 13 });
  fireEvent.keyUp(element, { key: "Enter", code: "Enter", charCode: 13 });
}

function renderList(url = "/list", props: Partial<Parameters<typeof DemoList>[0]> = {}) {
  const onOpen = vi.fn();
  render(
    <MemoryRouter initialEntries={[url]}>
      <DemoList onOpen={onOpen} {...props} />
    </MemoryRouter>,
  );
  return { onOpen, url: () => screen.getByLabelText("url").textContent };
}

describe("list kit: state in the URL", () => {
  it("a shared link opens with its tab, filters, sort and page; a new tab starts at page 1", () => {
    const { url } = renderList("/list?tab=closed&colour=red&sort=name&order=desc&page=2");
    expect(screen.getByRole("tab", { name: /Closed/, selected: true })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "descending");
    fireEvent.click(screen.getByRole("tab", { name: /Open/ }));
    expect(url()).toBe("?colour=red&sort=name&order=desc");
  });

  it("a header click sorts, the pager pages, and both land in the URL", () => {
    const { url } = renderList();
    fireEvent.click(screen.getByRole("columnheader", { name: /Name/ }));
    expect(url()).toBe("?sort=name&order=desc");
    fireEvent.click(screen.getByRole("listitem", { name: "2" }));
    expect(url()).toBe("?sort=name&order=desc&page=2");
  });
});

describe("list kit: the filter bar", () => {
  it("typing applies after a pause, one change for many keystrokes, and resets the page", () => {
    vi.useFakeTimers();
    const { url } = renderList("/list?page=2");
    const search = screen.getByLabelText("Search");
    for (const text of ["s", "so", "som"]) fireEvent.change(search, { target: { value: text } });
    expect(url()).toBe("?page=2");
    act(() => vi.advanceTimersByTime(349));
    expect(url()).toBe("?page=2");
    act(() => vi.advanceTimersByTime(1));
    expect(url()).toBe("?q=som");
  });

  it("a pause after a space applies the trimmed search and leaves the box as typed", () => {
    vi.useFakeTimers();
    const { url } = renderList();
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "john " } });
    act(() => vi.advanceTimersByTime(350));
    expect(url()).toBe("?q=john");
    expect(screen.getByLabelText("Search")).toHaveValue("john ");
  });

  it("a picker applies at once and keeps what was typed but not yet applied", () => {
    vi.useFakeTimers();
    const { url } = renderList();
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "beta" } });
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Colour" }));
    fireEvent.click(screen.getByTitle("green"));
    expect(url()).toBe("?q=beta&colour=green");
    act(() => vi.advanceTimersByTime(1000));
    expect(url()).toBe("?q=beta&colour=green");
  });

  it("input the list cannot use is named and not applied; the list keeps its last good filters", () => {
    const { url } = renderList("/list?min=2");
    const min = screen.getByLabelText("Minimum size");
    fireEvent.change(min, { target: { value: "ten" } });
    pressEnter(min);
    expect(screen.getByLabelText("filter error")).toHaveTextContent("Minimum size: a whole number of items, e.g. 3.");
    expect(url()).toBe("?min=2");
    fireEvent.change(min, { target: { value: "5" } });
    pressEnter(min);
    expect(screen.queryByLabelText("filter error")).not.toBeInTheDocument();
    expect(url()).toBe("?min=5");
  });

  it("a link holding an impossible range queries without the bar's filters instead of failing", () => {
    renderList("/list?from=2026-11-02&to=2026-11-01");
    expect(screen.getByLabelText("query filters")).toHaveTextContent("[]");
  });

  it("Clear filters empties the bar and the URL", () => {
    const { url } = renderList("/list?tab=closed&q=x&colour=red");
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(url()).toBe("?tab=closed");
    expect(screen.getByLabelText("Search")).toHaveValue("");
  });
});

describe("list kit: tabs, selection, rows", () => {
  it("tab badges say … while counting, then the count, with a label for screen readers", () => {
    renderList("/list", { counts: { closed: 4 } });
    expect(within(screen.getByRole("tab", { name: /Open/ })).getByLabelText("loading open")).toHaveTextContent("…");
    expect(screen.getByRole("tab", { name: /Closed/ })).toHaveTextContent("4");
  });

  it("a selection belongs to its view: changing the filters starts with nothing selected", () => {
    renderList();
    fireEvent.click(screen.getAllByRole("checkbox")[1]!);
    expect(screen.getByLabelText("selected")).toHaveTextContent("a");
    fireEvent.mouseDown(screen.getByRole("combobox", { name: "Colour" }));
    fireEvent.click(screen.getByTitle("red"));
    expect(screen.getByLabelText("selected")).toHaveTextContent("");
  });

  it("a row opens with a click or Enter, not when its selection box is ticked", () => {
    const { onOpen } = renderList();
    const row = screen.getByRole("row", { name: "Open Alpha" });
    fireEvent.click(within(row).getByRole("checkbox"));
    expect(onOpen).not.toHaveBeenCalled();
    fireEvent.keyDown(row, { key: "Enter" });
    fireEvent.click(within(row).getByText("Alpha"));
    expect(onOpen.mock.calls).toEqual([["a"], ["a"]]);
  });

  it("bulk results say what was done and what was refused, row by row", () => {
    const onClose = vi.fn();
    render(
      <BulkResults
        rowTitle="Request"
        onClose={onClose}
        outcome={{ action: "Assign", rows: [{ key: "1", label: "DSAR-1", ok: true, error: null }, { key: "2", label: "DSAR-2", ok: false, error: "Request is closed" }] }}
      />,
    );
    expect(screen.getByText("Assign: 1 done, 1 refused")).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Bulk action results" });
    expect(within(table).getByRole("row", { name: /DSAR-2 refused Request is closed/ })).toBeInTheDocument();
    expect(within(table).getByRole("row", { name: /DSAR-1 done —/ })).toBeInTheDocument();
  });
});

describe("list kit: CSV export", () => {
  function stubDownloads() {
    const saved: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: (blob: Blob) => { const id = `blob:${blobs.size}`; blobs.set(id, blob); return id; }, revokeObjectURL: () => undefined }));
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: blobs.get(this.href.replace(/^.*(blob:)/, "$1"))! });
    });
    return saved;
  }

  it("shows progress while pages arrive, then downloads the CSV", async () => {
    const saved = stubDownloads();
    let release!: () => void;
    const fetchRows = vi.fn(async (onProgress: (fetched: number, total: number | null) => void) => {
      onProgress(1000, 2500);
      await new Promise<void>((resolve) => (release = resolve));
      onProgress(2500, 2500);
      return ROWS;
    });
    render(<CsvExportButton fetchRows={fetchRows} toCsv={(rows) => rows.map((r) => r.name).join("\n")} fileName={() => "rows.csv"} total={2500} what="the rows" />);
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Exporting the rows")).toBeInTheDocument();
    expect(screen.getByText("1,000 of 2,500 rows")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "CSV export progress" })).toHaveAttribute("aria-valuenow", "40");
    await act(async () => release());
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe("rows.csv");
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(saved[0]!.blob);
    });
    expect(text).toBe("Alpha\nBeta");
  });

  it("Cancel stops the reading and saves nothing; a failure is said in words", async () => {
    const saved = stubDownloads();
    const fetchRows = (_: unknown, signal: AbortSignal) =>
      new Promise<Row[]>((_resolve, reject) => signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }))));
    const { unmount } = render(<CsvExportButton fetchRows={fetchRows} toCsv={() => ""} fileName={() => "x.csv"} total={10} what="the rows" />);
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    fireEvent.click(await screen.findByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Export CSV" })).toBeEnabled());
    expect(saved).toEqual([]);
    expect(screen.queryByText(/CSV export failed/)).not.toBeInTheDocument();
    unmount();

    render(<CsvExportButton fetchRows={() => Promise.reject(new Error("Your session has expired"))} toCsv={() => ""} fileName={() => "x.csv"} total={10} what="the rows" />);
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("CSV export failed: Your session has expired")).toBeInTheDocument();
    expect(saved).toEqual([]);
  });

  /** A source of `pages` pages of 1000 rows then one of 500 (each row's name its number); `hold` pauses before a page. */
  function streamedSource(options: { failAt?: number; hold?: (page: number, signal?: AbortSignal) => Promise<void> } = {}): () => Promise<CsvExportSource<{ n: number }>> {
    return async () => ({
      pages: {
        pageSize: 1000,
        async read(_after, page, signal) {
          await options.hold?.(page, signal);
          if (options.failAt === page) throw new Error("Your session has expired");
          const size = page < 2 ? 1000 : 500;
          return { rows: Array.from({ length: size }, (_, i) => ({ n: page * 1000 + i })), total: page === 0 ? 2500 : null };
        },
      },
      format: { header: "n\r\n", lines: (rows) => rows.map((r) => `${r.n}\r\n`).join("") },
    });
  }

  it("streamed: progress per page, one file of every page once the last is in", async () => {
    const saved = stubDownloads();
    let release!: () => void;
    const source = streamedSource({ hold: (page) => (page === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()) });
    render(<CsvExportButton source={source} fileName={() => "rows.csv"} total={2400} what="the rows" />);
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("1,000 of 2,500 rows")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "CSV export progress" })).toHaveAttribute("aria-valuenow", "40");
    expect(saved).toEqual([]);
    await act(async () => release());
    await waitFor(() => expect(saved).toHaveLength(1));
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(saved[0]!.blob);
    });
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("n");
    expect(lines.slice(1).map(Number)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });

  it("streamed: Cancel during a page stops the export; nothing is downloaded and no failure is shown", async () => {
    const saved = stubDownloads();
    const reads: number[] = [];
    const source = streamedSource({
      hold: (page, signal) => {
        reads.push(page);
        return page === 1 ? new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve())) : Promise.resolve();
      },
    });
    render(<CsvExportButton source={source} fileName={() => "rows.csv"} total={2500} what="the rows" />);
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("1,000 of 2,500 rows")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Export CSV" })).toBeEnabled());
    expect(reads).toEqual([0, 1]);
    expect(saved).toEqual([]);
    expect(screen.queryByText(/CSV export (failed|stopped)/)).not.toBeInTheDocument();
  });

  it("streamed: a failure part-way says how far it got, and nothing is downloaded", async () => {
    const saved = stubDownloads();
    render(<CsvExportButton source={streamedSource({ failAt: 1 })} fileName={() => "rows.csv"} total={2500} what="the rows" />);
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("CSV export stopped after 1,000 of 2,500 rows: Your session has expired. Nothing was downloaded; try again.")).toBeInTheDocument();
    expect(saved).toEqual([]);
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeEnabled();
  });
});

