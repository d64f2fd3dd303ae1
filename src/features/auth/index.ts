/** The sign-in page, for the embedded root and the component tests' console. */
export { EmbeddedSignInPage } from "./EmbeddedSignInPage";
