import type { ReactNode } from "react";
import { Button, Space } from "antd";
import { Link } from "react-router";

/** A link or button the role may use, or false when it may not (the header then leaves it out). */
type Offered<T> = T | false | null | undefined;

/**
 * A list page's header actions, in the console's order: the link to the area's dashboard, what else the page
 * offers (an export), then the page's primary action. Each is left out when the role may not use it.
 */
export function ListHeaderActions({
  dashboard,
  primary,
  children,
}: {
  dashboard?: Offered<{ to: string; label: string }>;
  primary?: Offered<{ label: string; onClick: () => void }>;
  children?: ReactNode;
}) {
  return (
    <Space wrap>
      {dashboard ? <Link to={dashboard.to}>{dashboard.label}</Link> : null}
      {children}
      {primary ? (
        <Button type="primary" onClick={primary.onClick}>
          {primary.label}
        </Button>
      ) : null}
    </Space>
  );
}
