import { useRef, useState } from "react";
import { Alert, Button, DatePicker, Form, Input, Select, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { Link, useNavigate } from "react-router";
import { PageShell } from "../../components/PageShell";
import { DISPLAY_TIME_ZONE } from "../../lib/format";
import { useCustomerSearch } from "../customers";
import { useDsarActions, useSlaRules } from "./data";
import { INTAKE_CHANNELS, isBackDated, nowAsBangkokWallClock, receivedAtForPreview, validateIntake, type IntakeErrors, type IntakeValues } from "./intake";
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
const wallClock = (value: Dayjs | undefined) => (value ? value.format("YYYY-MM-DD HH:mm") : "");

/** Intake of an email/other request (DPO and support). The database computes the reference and deadlines. */
export default function DsarCreate() {
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
    <PageShell title="Log a data subject request" extra={<Link to="/dsar">Back to the queue</Link>}>
      <Form<FormShape>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{ channel: "email", received: dayjs(nowAsBangkokWallClock(), "YYYY-MM-DD HH:mm") }}
        onFinish={(shape) => void submit(shape)}
        aria-label="New request"
      >
        {submitError ? <Alert type="error" showIcon message="The request was not saved" description={submitError} style={{ marginBottom: 16 }} /> : null}
        <Form.Item label="Type" name="type" validateStatus={status("type")} help={fieldErrors.type}>
          <Select aria-label="Type" placeholder="What does the person ask for?" options={DSAR_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }))} />
        </Form.Item>
        <Form.Item label="Channel" name="channel" validateStatus={status("channel")} help={fieldErrors.channel}>
          <Select aria-label="Channel" options={INTAKE_CHANNELS.map((value) => ({ value, label: CHANNEL_LABELS[value] }))} />
        </Form.Item>
        <Form.Item label="Requester email" name="requesterEmail" validateStatus={status("requesterEmail")} help={fieldErrors.requesterEmail}>
          <Input aria-label="Requester email" type="email" autoComplete="off" />
        </Form.Item>
        {/* Enter in the date field confirms the date; it must not also log the request (the browser's implicit
            form submission). The picker handles Enter on its input first; stopping the default here, as the event
            bubbles, keeps the form from submitting. */}
        <div onKeyDown={(event) => event.key === "Enter" && event.preventDefault()}>
          <Form.Item
            label={`Received at (${DISPLAY_TIME_ZONE} time)`}
            name="received"
            validateStatus={status("receivedBangkok")}
            help={
              fieldErrors.receivedBangkok ??
              (receivedIso && isBackDated(receivedIso)
                ? "Back-dated to when the email arrived: allowed, and recorded in the audit log with your name."
                : "When the request reached us; the 30-day clock starts here.")
            }
          >
            <DatePicker
              aria-label="Received at"
              showTime={{ format: "HH:mm" }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={(day) => day.isAfter(dayjs(nowAsBangkokWallClock(), "YYYY-MM-DD HH:mm"), "day")}
              style={{ width: 240 }}
            />
          </Form.Item>
        </div>
        {preview ? (
          <Typography.Paragraph type="secondary">
            Company target {formatDueDate(preview.promiseDueOn)} · statutory limit {formatDueDate(preview.statutoryDueOn)} (end of day, Bangkok).
          </Typography.Paragraph>
        ) : null}
        <Form.Item label="Match customer (optional)" name="customerId" help={customers.error ? `Customer search failed: ${customers.error}` : "Search by email or Clerk id (user_…). Leave empty if no account matches yet."}>
          <Select
            aria-label="Match customer"
            showSearch
            allowClear
            filterOption={false}
            onSearch={customers.search}
            loading={customers.searching}
            placeholder="Unmatched"
            notFoundContent={customers.searching ? "Searching…" : "No customer found"}
            options={customers.options.map((c) => ({ value: c.id, label: `${c.email}${c.display_name ? ` — ${c.display_name}` : ""} (${c.clerk_user_id})` }))}
          />
        </Form.Item>
        <Form.Item label="Summary of what the person asks" name="summary" validateStatus={status("summary")} help={fieldErrors.summary}>
          <Input.TextArea aria-label="Summary" rows={4} maxLength={4000} showCount />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={pending} disabled={pending}>
            Log request
          </Button>
          <Link to="/dsar">Cancel</Link>
        </Space>
      </Form>
    </PageShell>
  );
}
