import { describe, expect, it } from "vitest";
import { parseDurationValue, parseRate } from "../../src/scenario/duration.js";

describe("durations carry units; a bare number means seconds (qmail control files, Postfix main.cf)", () => {
  it.each([
    ["400s", 400],
    ["36h", 129600],
    ["7d", 604800],
    ["1h30m", 5400],
    ["2w", 1209600],
    ["1.5d", 129600],
    ["604800", 604800],
    [604800, 604800],
    [0, 0],
  ])("%s is %i seconds", (text, seconds) => {
    expect(parseDurationValue(text)).toEqual({ ok: true, seconds });
  });

  it.each(["7x", "1 hour", "-5s", "h", "", "1.5s", "5ms", "1y"])("%s is refused with a hint", (text) => {
    const r = parseDurationValue(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/write a number and a unit/);
  });

  it("refuses negative and fractional bare numbers", () => {
    expect(parseDurationValue(-1).ok).toBe(false);
    expect(parseDurationValue(1.5).ok).toBe(false);
    expect(parseDurationValue(true).ok).toBe(false);
  });
});

describe("rates", () => {
  it("reads messages per unit", () => {
    expect(parseRate("20/h")).toEqual({ ok: true, perSecond: 20 / 3600 });
    expect(parseRate("0.5/m")).toEqual({ ok: true, perSecond: 0.5 / 60 });
    expect(parseRate("1000/d")).toEqual({ ok: true, perSecond: 1000 / 86400 });
  });
  it("refuses a zero rate and other shapes", () => {
    expect(parseRate("0/h")).toMatchObject({ ok: false, message: expect.stringMatching(/sends nothing/) });
    expect(parseRate("20 per hour").ok).toBe(false);
    expect(parseRate(20).ok).toBe(false);
  });
});

describe("isoAt", () => {
  it("formats like Date.toISOString without milliseconds, across days, months and leap years", async () => {
    const { isoAt } = await import("../../src/report/format.js");
    const start = Date.parse("2008-02-28T23:00:00Z");
    for (const s of [0, 59, 3599, 3600, 86399, 86400, 86400 * 2 + 7, 86400 * 400 + 12345]) {
      expect(isoAt(start, s)).toBe(new Date(start + s * 1000).toISOString().replace(".000Z", "Z"));
    }
    expect(isoAt(start, NaN)).toBe("");
    expect(isoAt(start + 500, 1)).toBe(new Date(start + 1500).toISOString().replace(/\.\d{3}Z$/, "Z"));
  });
});

describe("csv", () => {
  it("quotes only fields with commas, quotes or line breaks (RFC 4180)", async () => {
    const { csv } = await import("../../src/report/csv.js");
    expect(csv([["a", 1, true, "x,y", 'say "hi"', "two\nlines", ""]])).toBe('a,1,true,"x,y","say ""hi""","two\nlines",\n');
  });
});
