/**
 * antd's Result, loaded when first shown. Its module carries the 403/404/500 illustrations (about 40 KB of SVG),
 * which the sign-in page never needs; until the chunk arrives the same words show in a plain layout, so the message
 * is never late.
 */
import { lazy, Suspense, type ReactNode } from "react";
import type { ResultProps } from "antd";

const AntdResult = lazy(() => import("antd/es/result"));

export function StatusResult(props: ResultProps) {
  return (
    <Suspense fallback={<PlainResult title={props.title} subTitle={props.subTitle} extra={props.extra} />}>
      <AntdResult {...props} />
    </Suspense>
  );
}

function PlainResult({ title, subTitle, extra }: { title: ReactNode; subTitle: ReactNode; extra: ReactNode }) {
  return (
    <div role="status" style={{ padding: 48, textAlign: "center" }}>
      <div style={{ fontSize: 24 }}>{title}</div>
      {subTitle ? <div style={{ marginTop: 8 }}>{subTitle}</div> : null}
      {extra ? <div style={{ marginTop: 24 }}>{extra}</div> : null}
    </div>
  );
}
