import type { ReactNode } from "react";
import { Card, Space, Typography } from "antd";

/** Page frame for console pages: a heading and the content, without pulling in a page-header library. */
export function PageShell({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Space>
      <Card>{children}</Card>
    </Space>
  );
}
