import { sha256Hex } from "../dsar/export/sha256";

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
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
    reader.readAsArrayBuffer(blob);
  });
}
