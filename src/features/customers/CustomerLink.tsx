/**
 * A customer as other desks name one in their tables: the name (or e-mail) with the e-mail under it, linking to the
 * customer page for the roles that open it; for a role that reads no customer contact data (the auditor: RLS gives
 * it no e-mail), the short id, not a link.
 */
import { Typography } from "antd";
import { Link } from "react-router";
import { useT } from "../../i18n";
import { can } from "../../providers/accessControl";
import { useStaffRoles } from "../../providers/useStaffRoles";
import "../../i18n/messages/en/customers";

export interface CustomerLabel {
  email: string | null;
  display_name: string | null;
}

export function CustomerLink({ id, customer }: { id: string; customer: CustomerLabel | null | undefined }) {
  const t = useT();
  const { roles = [] } = useStaffRoles();
  const name = customer?.display_name ?? customer?.email ?? null;
  if (!name) return <Typography.Text code title={id}>{t("customers.link.short", { id: id.slice(0, 8) })}</Typography.Text>;
  const label = (
    <>
      {name}
      {customer?.display_name && customer.email ? (
        <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
          {customer.email}
        </Typography.Text>
      ) : null}
    </>
  );
  return can(roles, "customers", "show") ? <Link to={`/customers/${id}`}>{label}</Link> : label;
}
