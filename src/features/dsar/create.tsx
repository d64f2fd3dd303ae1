import { useRef, useState } from "react";
import { Alert, Button, DatePicker, Form, Input, Select, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { Link, useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import { useT } from "../../i18n";
import "../../i18n/messages/en/dsarIntake";
import { DISPLAY_TIME_ZONE } from "../../lib/format";
import { useCustomerSearch } from "../customers";
import { useDsarActions, useSlaRules } from "./data";
import { INTAKE_CHANNELS, WALL_CLOCK_FORMAT, isBackDated, nowAsBangkokWallClock, receivedAtForPreview, validateIntake, type IntakeErrors, type IntakeValues } from "./intake";
import { formatDueDate, previewDeadlines } from "./sla";
import { CHANNEL_LABELS, DSAR_TYPES, TYPE_LABELS } from "./types";

interface FormShape {
  type?: string;
  channel?: string;
  requesterEmail?: string;
  received?: Dayjs;
  customerId?: string;
  summary?: string;
}

/** Bangkok wall-clock text of the picker value (the picker shows and returns the Bangkok wall clock). */
const wallClock = (value: Dayjs | undefined) => (value ? value.format(WALL_CLOCK_FORMAT) : "");

/** Intake of an email/other request (DPO and support). The database computes the reference and deadlines. */
export default function DsarCreate() {
  const t = useT();
  const navigate = useNavigate();
  const actions = useDsarActions();
  const [form] = Form.useForm<FormShape>();
  const [fieldErrors, setFieldErrors] = useState<IntakeErrors>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inFlight = useRef(false);
  const customers = useCustomerSearch();
  const rules = useSlaRules();
  const values = Form.useWatch([], form) as FormShape | undefined;

  const received = wallClock(values?.received);
  const receivedIso = receivedAtForPreview(values?.type ?? "", values?.channel ?? "", received);
  const rule = rules.result.data?.find((r) => r.type === values?.type);
  const preview = receivedIso && rule ? previewDeadlines(receivedIso, rule.promise_days, rule.statutory_days) : null;

  const submit = async (shape: FormShape) => {
    // A second click (or Enter) while the first is on its way is ignored: one request, one reference.
    if (inFlight.current) return;
    const intake: IntakeValues = {
      type: shape.type ?? "",
      channel: shape.channel ?? "",
      requesterEmail: shape.requesterEmail ?? "",
      receivedBangkok: wallClock(shape.received),
      customerId: shape.customerId ?? null,
      summary: shape.summary ?? "",
    };
    const { args, errors } = validateIntake(intake);
    setFieldErrors(errors);
    setSubmitError(null);
    if (!args) return;
    inFlight.current = true;
    setPending(true);
    try {
      const created = await actions.createRequest(args);
      const row = Array.isArray(created) ? created[0] : created;
      navigate(row?.id ? `/dsar/${row.id}` : "/dsar");
    } catch (cause) {
      setSubmitError((cause as Error).message);
      inFlight.current = false;
      setPending(false);
    }
  };

  const status = (field: keyof IntakeValues) => (fieldErrors[field] ? ("error" as const) : undefined);

  return (
    <PageShell title={t("dsarIntake.title")} extra={<Link to="/dsar">{t("dsarIntake.backToQueue")}</Link>}>
      <Form<FormShape>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{ channel: "email", received: dayjs(nowAsBangkokWallClock(), WALL_CLOCK_FORMAT) }}
        onFinish={(shape) => void submit(shape)}
        aria-label={t("dsarIntake.formLabel")}
      >
        {submitError ? <Alert type="error" showIcon message={t("dsarIntake.notSaved")} description={submitError} style={{ marginBottom: 16 }} /> : null}
        <Form.Item label={t("dsarIntake.type")} name="type" validateStatus={status("type")} help={fieldErrors.type}>
          <Select aria-label={t("dsarIntake.type")} placeholder={t("dsarIntake.typePlaceholder")} options={DSAR_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }))} />
        </Form.Item>
        <Form.Item label={t("dsarIntake.channel")} name="channel" validateStatus={status("channel")} help={fieldErrors.channel}>
          <Select aria-label={t("dsarIntake.channel")} options={INTAKE_CHANNELS.map((value) => ({ value, label: CHANNEL_LABELS[value] }))} />
        </Form.Item>
        <Form.Item label={t("dsarIntake.requesterEmail")} name="requesterEmail" validateStatus={status("requesterEmail")} help={fieldErrors.requesterEmail}>
          <Input aria-label={t("dsarIntake.requesterEmail")} type="email" autoComplete="off" />
        </Form.Item>
        {/* Enter in the date field confirms the date; it must not also log the request (the browser's implicit
            form submission). The picker handles Enter on its input first; stopping the default here, as the event
            bubbles, keeps the form from submitting. */}
        <div onKeyDown={(event) => event.key === "Enter" && event.preventDefault()}>
          <Form.Item
            label={t("dsarIntake.receivedAtIn", { zone: DISPLAY_TIME_ZONE })}
            name="received"
            validateStatus={status("receivedBangkok")}
            help={
              fieldErrors.receivedBangkok ??
              (receivedIso && isBackDated(receivedIso)
                ? t("dsarIntake.backDatedHelp")
                : t("dsarIntake.receivedHelp"))
            }
          >
            <DatePicker
              aria-label={t("dsarIntake.receivedAt")}
              showTime={{ format: "HH:mm" }}
              format={WALL_CLOCK_FORMAT}
              disabledDate={(day) => day.isAfter(dayjs(nowAsBangkokWallClock(), WALL_CLOCK_FORMAT), "day")}
              style={{ width: 240 }}
            />
          </Form.Item>
        </div>
        {preview ? (
          <Typography.Paragraph type="secondary">
            {t("dsarIntake.deadlinePreview", { promise: formatDueDate(preview.promiseDueOn), statutory: formatDueDate(preview.statutoryDueOn) })}
          </Typography.Paragraph>
        ) : null}
        <Form.Item
          label={t("dsarIntake.customer")}
          name="customerId"
          help={customers.error ? t("dsarIntake.customerSearchFailed", { error: customers.error }) : t("dsarIntake.customerHelp")}
        >
          <Select
            aria-label={t("dsarIntake.customerPicker")}
            showSearch
            allowClear
            filterOption={false}
            onSearch={customers.search}
            loading={customers.searching}
            placeholder={t("dsarIntake.unmatched")}
            notFoundContent={customers.searching ? t("dsarIntake.searching") : t("dsarIntake.noCustomer")}
            options={customers.options.map((c) => ({
              value: c.id,
              label: c.display_name
                ? t("dsarIntake.customerOptionNamed", { email: c.email, name: c.display_name, clerkId: c.clerk_user_id })
                : t("dsarIntake.customerOption", { email: c.email, clerkId: c.clerk_user_id }),
            }))}
          />
        </Form.Item>
        <Form.Item label={t("dsarIntake.summary")} name="summary" validateStatus={status("summary")} help={fieldErrors.summary}>
          <Input.TextArea aria-label={t("dsarIntake.summaryPicker")} rows={4} maxLength={4000} showCount />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={pending} disabled={pending}>
            {t("dsarIntake.submit")}
          </Button>
          <Link to="/dsar">{t("common.actions.cancel")}</Link>
        </Space>
      </Form>
    </PageShell>
  );
}
