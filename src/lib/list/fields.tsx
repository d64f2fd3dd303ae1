/**
 * The filter bar's fields, the same on every list: a picker (one value or several, "" meaning any), a Bangkok day
 * range, and the alert a list shows when it cannot load, with a retry.
 */
import { Alert, Button, DatePicker, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useT } from "../../i18n";

export interface ChoiceOption<T extends string> {
  value: T;
  label: string;
}

/** One value, "" for any (the select's clear button sets ""). */
export function ChoiceFilter<T extends string>({ label, placeholder, value, options, onChange }: { label: string; placeholder: string; value: T | ""; options: readonly ChoiceOption<T>[]; onChange: (value: T | "") => void }) {
  return (
    <Select<T>
      allowClear
      aria-label={label}
      placeholder={placeholder}
      style={{ width: "100%" }}
      value={value || undefined}
      onChange={(next?: T) => onChange(next ?? "")}
      options={options as ChoiceOption<T>[]}
    />
  );
}

/** Any of several values; none chosen means any. */
export function ChoicesFilter<T extends string>({ label, placeholder, value, options, onChange }: { label: string; placeholder: string; value: readonly T[]; options: readonly ChoiceOption<T>[]; onChange: (value: T[]) => void }) {
  return (
    <Select<T[]>
      mode="multiple"
      allowClear
      aria-label={label}
      placeholder={placeholder}
      style={{ width: "100%" }}
      value={value as T[]}
      onChange={onChange}
      options={options as ChoiceOption<T>[]}
    />
  );
}

const day = (value: Dayjs | null | undefined): string => (value ? value.format("YYYY-MM-DD") : "");

/** Two Bangkok calendar days (YYYY-MM-DD, "" for open), either end optional. */
export function DayRangeFilter({ label, placeholders, from, to, onChange }: { label: string; placeholders?: [string, string]; from: string; to: string; onChange: (range: { from: string; to: string }) => void }) {
  return (
    <DatePicker.RangePicker
      aria-label={label}
      style={{ width: "100%" }}
      allowEmpty={[true, true]}
      {...(placeholders ? { placeholder: placeholders } : {})}
      value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
      onChange={(range) => onChange({ from: day(range?.[0]), to: day(range?.[1]) })}
    />
  );
}

/** What a list shows when its rows could not be read: the reason, and a way to try again. */
export function LoadError({ title, error, onRetry }: { title: string; error: { message: string }; onRetry: () => void }) {
  const t = useT();
  return (
    <Alert
      type="error"
      showIcon
      message={title}
      description={error.message}
      action={
        <Button size="small" onClick={onRetry}>
          {t("common.actions.retry")}
        </Button>
      }
    />
  );
}
