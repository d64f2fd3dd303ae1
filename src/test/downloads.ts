import { vi } from "vitest";

const originalCreate = URL.createObjectURL;
const originalRevoke = URL.revokeObjectURL;

/**
 * jsdom has no object URLs: from now until the end of the test, each blob the page hands to a download link is
 * kept (in order) and named `blob:<prefix>-<n>`. setup.ts puts the originals back after every test.
 */
export function captureDownloads(prefix = "download") {
  const blobs: Blob[] = [];
  URL.createObjectURL = vi.fn((blob: Blob) => {
    blobs.push(blob);
    return `blob:${prefix}-${blobs.length}`;
  });
  URL.revokeObjectURL = vi.fn();
  return {
    blobs,
    /** The text of the `index`th captured blob. */
    text: (index = 0) => blobText(blobs[index]!),
  };
}

export function restoreObjectUrls(): void {
  URL.createObjectURL = originalCreate;
  URL.revokeObjectURL = originalRevoke;
}

export function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}
