/**
 * The ways a server can fail while it is down, defined once. The type, the
 * scenario schema's list, the words `explain` and the schema use, and the
 * classes the delivery code and the charts need all come from this table,
 * so a new mode does not compile until it is described here.
 */

export const FAILURE_MODES = ["refused", "timeout", "silent", "greeting-4xx", "greeting-5xx", "rcpt-4xx", "reject-5xx"] as const;

/** How a server behaves during an outage window (what a connecting MTA meets). */
export type FailureMode = (typeof FAILURE_MODES)[number];

/** Each mode's index in FAILURE_MODES: the code the delivery works with. */
export const FAILURE_CODE = Object.fromEntries(FAILURE_MODES.map((m, i) => [m, i])) as Record<FailureMode, number>;

export interface FailureModeInfo {
  /** One clause for the scenario schema (editor help and error messages). */
  schema: string;
  /** What the connecting MTA meets, as `explain` says it. */
  meaning: string;
  /** No SMTP session at all: the TCP connection itself failed (a balancer's health check fails too). */
  tcpFails: boolean;
  /**
   * The failure is the site's, at connect or greeting, not the recipient's: when every MX fails
   * this way Postfix marks the destination dead (qmgr_queue.c, qmgr_queue_throttle).
   */
  site: boolean;
  /**
   * What the connecting MTA waits for before it knows: its connect timeout (a blackholed SYN), its
   * greeting timeout (a host that accepts TCP and never greets), or nothing (the answer is at once).
   */
  waits: "connect" | "greeting" | null;
}

export const FAILURE_INFO: Record<FailureMode, FailureModeInfo> = {
  refused: {
    schema: "TCP connection refused",
    meaning: "connection refused: nothing answers on port 25 (the host or its SMTP service is down)",
    tcpFails: true,
    site: true,
    waits: null,
  },
  timeout: {
    schema: "blackholed, senders wait their connect timeout",
    meaning: "no answer at all (the host is blackholed)",
    tcpFails: true,
    site: true,
    waits: "connect",
  },
  silent: {
    schema: "accepts the TCP connection but never greets (a hung daemon, a tarpit); senders wait their greeting timeout",
    meaning: "accepted the TCP connection but never sent its greeting (a hung daemon or a tarpit)",
    tcpFails: false,
    site: true,
    waits: "greeting",
  },
  "greeting-4xx": {
    schema: "reachable but answering 421",
    meaning: 'answered "421 service not available": it is reachable but refuses to work now (saturated)',
    tcpFails: false,
    site: true,
    waits: null,
  },
  "greeting-5xx": {
    schema: "reachable but answering 554",
    meaning: 'answered "554" in its greeting: no SMTP service for us here',
    tcpFails: false,
    site: true,
    waits: null,
  },
  "rcpt-4xx": {
    schema: "450 to RCPT (greylisting)",
    meaning: 'answered "450" to RCPT TO: try again later (greylisting)',
    tcpFails: false,
    site: false,
    waits: null,
  },
  "reject-5xx": {
    schema: "550 to RCPT (permanent)",
    meaning: 'answered "550" to RCPT TO: a permanent refusal',
    tcpFails: false,
    site: false,
    waits: null,
  },
};

/** The schema's description of the `mode` field: every mode with its clause. */
export const FAILURE_MODES_DESCRIPTION = FAILURE_MODES.map((m) => `${m}: ${FAILURE_INFO[m].schema}`).join("; ");

/** True when a connection result is one of the failure modes (not accepted, busy, skipped, …). */
export function isFailureMode(result: string): result is FailureMode {
  return (FAILURE_MODES as readonly string[]).includes(result);
}
