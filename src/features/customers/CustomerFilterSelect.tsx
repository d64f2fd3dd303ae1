import { Select } from "antd";
import { useT } from "../../i18n";
import { useCustomerSearch } from "./customerSearch";
import "../../i18n/messages/en/customers";

/**
 * A list's customer filter: search by e-mail, name or Clerk id, pick one. A customer already in the filter (from a
 * link) but not among the results keeps a short label, so the filter stays visible; a failed search says so.
 */
export function CustomerFilterSelect({ value, onChange, label, placeholder, disabled }: {
  value: string;
  onChange: (customerId: string) => void;
  label: string;
  placeholder: string;
  disabled?: boolean;
}) {
  const t = useT();
  const customers = useCustomerSearch();
  const options = customers.options.map((c) => ({
    value: c.id,
    label: c.display_name ? t("customers.picker.option", { name: c.display_name, email: c.email }) : c.email,
  }));
  if (value && !options.some((o) => o.value === value)) options.push({ value, label: t("customers.picker.unknown", { id: value.slice(0, 8) }) });
  return (
    <Select
      showSearch
      allowClear
      disabled={disabled}
      aria-label={label}
      placeholder={placeholder}
      style={{ width: "100%" }}
      filterOption={false}
      onSearch={customers.search}
      loading={customers.searching}
      status={customers.error ? "error" : undefined}
      notFoundContent={customers.error ? t("customers.picker.searchFailed", { reason: customers.error }) : undefined}
      value={value || undefined}
      onChange={(customer?: string) => onChange(customer ?? "")}
      options={options}
    />
  );
}
