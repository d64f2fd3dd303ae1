/**
 * jsdom lays nothing out, so recharts' ResponsiveContainer measures 0×0 and draws nothing. Call inside a describe:
 * for its tests the containers measure 560×260, so the bars, axes and legends are drawn and can be asserted.
 */
import { afterEach, beforeEach } from "vitest";

export function sizeChartsInTests(): void {
  const original = HTMLElement.prototype.getBoundingClientRect;
  beforeEach(() => {
    HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
      return this.classList.contains("recharts-responsive-container") ? DOMRect.fromRect({ width: 560, height: 260 }) : original.call(this);
    };
  });
  afterEach(() => {
    HTMLElement.prototype.getBoundingClientRect = original;
  });
}
