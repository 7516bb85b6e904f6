import { describe, expect, it, vi } from "vitest";
import { progress } from "../../src/cli/progress.js";

function fakeTerminal(isTTY: boolean) {
  let written = "";
  const stream = {
    isTTY,
    columns: 100,
    write: (s: string) => {
      written += s;
      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => written };
}

describe("the progress bar", () => {
  it("is not shown when stderr is not a terminal", () => {
    expect(progress(86400, fakeTerminal(false).stream)).toBeUndefined();
  });

  it("appears only after a second, and counts simulated days", () => {
    vi.useFakeTimers();
    try {
      const t = fakeTerminal(true);
      const bar = progress(14 * 86400, t.stream)!;
      bar.tick(86400);
      expect(t.text()).toBe("");
      vi.advanceTimersByTime(1500);
      bar.tick(3.2 * 86400);
      vi.advanceTimersByTime(500); // cli-progress redraws on its own timer
      expect(t.text()).toMatch(/simulating: day 3\.2 of 14\.0/);
      bar.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
