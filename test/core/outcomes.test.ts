/**
 * The code tables of the core: every kind a run can record has one code, the
 * codes agree with the message columns, and every kind a person reads about
 * has plain words and the source they rest on (the project's rule: cite).
 */
import { describe, expect, it } from "vitest";
import { BOUNCED, DELIVERED, PATH_DIRECT, PATH_SENDER_RETRY, PATH_VIA_SECONDARY, QUEUED } from "../../src/core/message-table.js";
import { FAILURE_CODE } from "../../src/core/failure-modes.js";
import { FAILURE_MODES } from "../../src/core/model.js";
import {
  ATTEMPT_CODE,
  ATTEMPT_RESULTS,
  BOUNCE_CODE,
  BOUNCE_INFO,
  BOUNCE_REASONS,
  CONNECTION_CODE,
  CONNECTION_RESULTS,
  NOTIFICATION_CODE,
  NOTIFICATION_KINDS,
  OUTCOME_CODE,
  OUTCOMES,
  PATH_INFO,
  PATHS,
} from "../../src/core/outcomes.js";
import { MTA_NAMES, MTA_SETTINGS, PROFILE_DEFAULTS, PROFILE_INFO } from "../../src/core/profile.js";

const distinct = (xs: readonly string[]) => new Set(xs).size === xs.length;
/** A source: a section (of an RFC or a spec), a source file, an RFC, or the documentation. */
const CITES = /§\d|\.c\b|RFC \d{4}|documentation|et al\. \d{4}/;

describe("code tables", () => {
  it("outcome and path codes are the message columns' codes", () => {
    expect(OUTCOME_CODE).toEqual({ queued: QUEUED, delivered: DELIVERED, bounced: BOUNCED });
    expect(OUTCOMES).toEqual(["delivered", "bounced", "queued"]);
    // Path codes count from 1 in PATHS order (0 is "not delivered").
    expect([PATH_DIRECT, PATH_VIA_SECONDARY, PATH_SENDER_RETRY]).toEqual(PATHS.map((_, i) => i + 1));
  });

  it("every list has distinct names; connections can end in every failure mode, and the refusals of a server's own", () => {
    for (const list of [OUTCOMES, PATHS, ATTEMPT_RESULTS, CONNECTION_RESULTS, BOUNCE_REASONS, NOTIFICATION_KINDS, FAILURE_MODES, MTA_NAMES]) {
      expect(distinct(list), list.join(",")).toBe(true);
    }
    expect(CONNECTION_RESULTS).toEqual(["accepted", ...FAILURE_MODES, "busy", "unknown-user", "relay-denied", "loop", "skipped"]);
    expect(ATTEMPT_RESULTS).toEqual(["delivered", "relayed", "deferred", "bounced", "unfinished"]);
    expect(NOTIFICATION_KINDS).toEqual(["delayed", "failed"]);
    expect(FAILURE_MODES).toEqual(["refused", "timeout", "silent", "greeting-4xx", "greeting-5xx", "rcpt-4xx", "reject-5xx"]);
  });

  it("every path has a distinct title and a sentence that explains it", () => {
    const titles = PATHS.map((p) => PATH_INFO[p].title);
    expect(distinct(titles)).toBe(true);
    for (const p of PATHS) {
      expect(PATH_INFO[p].title).toMatch(/^delivered /);
      expect(PATH_INFO[p].description).toMatch(/^[A-Z].{20,}\.$/);
    }
  });

  it("every bounce reason has plain words and a cited source", () => {
    expect(Object.keys(BOUNCE_INFO).sort()).toEqual([...BOUNCE_REASONS].sort());
    for (const r of BOUNCE_REASONS) {
      expect(BOUNCE_INFO[r].text.length, r).toBeGreaterThan(15);
      expect(BOUNCE_INFO[r].source, r).toMatch(CITES);
    }
    expect(distinct(BOUNCE_REASONS.map((r) => BOUNCE_INFO[r].text))).toBe(true);
  });

  it("every MTA profile is named after its software, says what it does and where the numbers come from", () => {
    const software: Record<string, RegExp> = { qmail: /^qmail/, postfix: /^Postfix/, exim: /^Exim/, sendmail: /^Sendmail/, opensmtpd: /^OpenSMTPD/, exchange: /Exchange/ };
    for (const mta of MTA_NAMES.filter((n) => !PROFILE_INFO[n].sender)) {
      expect(PROFILE_DEFAULTS[mta].mta).toBe(mta);
      expect(PROFILE_INFO[mta].title).toMatch(software[mta]!);
      expect(PROFILE_INFO[mta].description.length, mta).toBeGreaterThan(100);
      // A file of the MTA's real source, or its documentation for a closed one.
      expect(PROFILE_INFO[mta].source, mta).toMatch(/\.(c|h)\b|documentation/);
    }
  });

  it("every provider's sender is named after it and says where each of its numbers comes from (closed code: no single source)", () => {
    const providers = MTA_NAMES.filter((n) => PROFILE_INFO[n].sender);
    expect(providers).toEqual(expect.arrayContaining(["gmail", "microsoft365", "amazon-ses", "mailgun", "sendgrid", "yahoo", "hotmail", "gmx", "mail.com", "yandex", "mail.ru", "india.com", "aol", "qq", "custom"]));
    for (const mta of providers) {
      expect(PROFILE_INFO[mta].description.length, mta).toBeGreaterThan(100);
      for (const o of MTA_SETTINGS[mta]) {
        expect(o.source, `${mta}.${o.key}`).toBeDefined();
        expect(o.source!.text.length, `${mta}.${o.key}`).toBeGreaterThan(8);
      }
    }
  });
});

describe("name → code maps", () => {
  // The attempt log and the CSV writers store codes; each map must give a name's position in its table.
  it.each([
    ["attempt results", ATTEMPT_RESULTS, ATTEMPT_CODE],
    ["connection results", CONNECTION_RESULTS, CONNECTION_CODE],
    ["bounce reasons", BOUNCE_REASONS, BOUNCE_CODE],
    ["notification kinds", NOTIFICATION_KINDS, NOTIFICATION_CODE],
    ["failure modes", FAILURE_MODES, FAILURE_CODE],
  ] as const)("%s: every name maps to its index, and nothing else is mapped", (_what, names, code) => {
    expect(Object.entries(code)).toEqual(names.map((n, i) => [n, i]));
  });
});
