/** What other features may use of the policies desk: the labels of documents and change classes. */
export { changeClassLabel, documentLabel, shortSha } from "./types";
