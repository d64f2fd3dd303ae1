/** SHA-256 through WebCrypto: the same code runs in the page, in a worker and in Node 20. */
import { t } from "../i18n/provider";
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** SHA-256 of a file through WebCrypto (page, worker and Node alike); reads the file once as a whole. */
export async function sha256OfBlob(blob: Blob): Promise<string> {
  const buffer = typeof blob.arrayBuffer === "function" ? await blob.arrayBuffer() : await readWithFileReader(blob);
  // Copy into this realm's ArrayBuffer (jsdom's FileReader answers with its own).
  return sha256Hex(new Uint8Array(new Uint8Array(buffer)));
}

function readWithFileReader(blob: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error(t("common.errors.fileUnreadable")));
    reader.readAsArrayBuffer(blob);
  });
}
