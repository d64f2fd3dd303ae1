import { Result, Typography } from "antd";

/** A half-configured build must say what is missing, not fall back silently to the wrong backend. */
export function ConfigErrorPage({ message, missing }: { message: string; missing: readonly string[] }) {
  return (
    <Result
      status="error"
      title="The console is not configured correctly"
      subTitle={message}
      extra={
        missing.length > 0 ? (
          <Typography.Paragraph>
            Missing: {missing.map((name) => <Typography.Text code key={name}>{name}</Typography.Text>)}
          </Typography.Paragraph>
        ) : null
      }
    />
  );
}
