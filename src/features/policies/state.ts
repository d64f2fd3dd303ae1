import { defineListState, param } from "../../lib/list";
import { isPolicyDocument, POLICY_DOCUMENTS } from "./types";

/** The versions list's state in the URL: the document tab (`/policies?tab=terms`) and the page. */
export const policyListState = defineListState({
  tabs: { values: POLICY_DOCUMENTS, default: "privacy_policy" },
  filters: {},
});

/** The document a new draft starts on (`/policies/new?document=terms`). */
export const documentParam = param.text("document");
export const documentOf = (value: string | null) => (value && isPolicyDocument(value) ? value : "privacy_policy");
