import { useState } from "react";
import { Button, Select, Space } from "antd";
import { useT } from "../../../i18n";
import { useCustomerSearch } from "../../customers";
import { useDsarActions } from "../data";
import type { DsarQueueRow } from "../types";
import { ErrorLine, usePanelAction } from "./Panel";

/** Most rights act on a customer account: an unmatched request is matched first. */
export function MatchCustomer({ request }: { request: DsarQueueRow }) {
  const t = useT();
  const actions = useDsarActions();
  const customers = useCustomerSearch();
  const [customerId, setCustomerId] = useState<string | undefined>();
  const { pending, error, run } = usePanelAction();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <ErrorLine error={error} />
      <Space wrap>
        <Select
          aria-label={t("dsar.fulfilment.match.customer")}
          showSearch
          filterOption={false}
          style={{ width: 360 }}
          placeholder={t("dsar.fulfilment.match.searchPlaceholder")}
          onSearch={customers.search}
          loading={customers.searching}
          value={customerId}
          onChange={setCustomerId}
          options={customers.options.map((c) => ({ value: c.id, label: t("dsar.fulfilment.match.option", { email: c.email, clerkId: c.clerk_user_id }) }))}
        />
        <Button disabled={!customerId || pending} onClick={() => run(async () => customerId && (await actions.matchCustomer(request.id, customerId)))}>
          {t("dsar.fulfilment.match.submit")}
        </Button>
      </Space>
    </Space>
  );
}
