/**
 * Filter-bar fields that every list turns into PostgREST filters the same way. Bad input throws a FilterInputError
 * whose message names the field, for the bar to show instead of asking the server.
 */
import type { CrudFilter } from "@refinedev/core";
import { t } from "../../i18n/provider";
import { bangkokEndOfDayExclusiveIso, bangkokStartOfDayIso } from "../format";
import "../../i18n/messages/en/list"; // the kit's words load with the lists, not the first page

export class FilterInputError extends Error {}

/**
 * A Bangkok calendar-day range, both ends inclusive as the user picked them: `field >= start of from` and
 * `field < start of the day after to`, so a row at 23:59 on the last day is in.
 */
export function dayRangeFilters(field: string, range: { from: string; to: string }, label: string): CrudFilter[] {
  let from: string | undefined;
  let to: string | undefined;
  try {
    if (range.from) from = bangkokStartOfDayIso(range.from);
    if (range.to) to = bangkokEndOfDayExclusiveIso(range.to);
  } catch (cause) {
    throw new FilterInputError(t("list.filters.fieldProblem", { field: label, problem: (cause as Error).message }));
  }
  if (from && to && from >= to) throw new FilterInputError(t("list.filters.startAfterEnd", { field: label }));
  const filters: CrudFilter[] = [];
  if (from) filters.push({ field, operator: "gte", value: from });
  if (to) filters.push({ field, operator: "lt", value: to });
  return filters;
}

const WHOLE_NUMBER = /^[+-]?\d{1,9}$/;

/** A whole number as typed, or null when empty; the error names the field and the unit ("credits"). */
export function parseWholeNumber(raw: string, label: string, unit: string, example: string): number | null {
  const text = raw.trim();
  if (text === "") return null;
  if (!WHOLE_NUMBER.test(text)) throw new FilterInputError(t("list.filters.wholeNumber", { field: label, unit, example }));
  return Number(text);
}

/** `field` between two whole numbers, either end optional, both inclusive. */
export function wholeNumberRangeFilters(
  field: string,
  range: { min: string; max: string },
  labels: { min: string; max: string; range: string; unit: string; example: string },
): CrudFilter[] {
  const min = parseWholeNumber(range.min, labels.min, labels.unit, labels.example);
  const max = parseWholeNumber(range.max, labels.max, labels.unit, labels.example);
  if (min !== null && max !== null && min > max) throw new FilterInputError(t("list.filters.minAboveMax", { field: labels.range }));
  const filters: CrudFilter[] = [];
  if (min !== null) filters.push({ field, operator: "gte", value: min });
  if (max !== null) filters.push({ field, operator: "lte", value: max });
  return filters;
}

/** `field in (values)`, or nothing when none is chosen. */
export function oneOfFilter(field: string, values: readonly string[]): CrudFilter[] {
  return values.length > 0 ? [{ field, operator: "in", value: [...values] }] : [];
}
