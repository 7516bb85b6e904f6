/**
 * The kinds of event the simulation schedules, defined in one place. An event is
 * (time, kind, id); what the id names depends on the kind. The code of a kind is
 * its index in EVENT_KINDS.
 */
export const EVENT_KINDS = ["arrival", "retry", "accept", "outage-end", "flush", "forced", "done"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const code = (kind: EventKind): number => EVENT_KINDS.indexOf(kind);

/** id = sender: create a message, schedule the sender's next one. */
export const ARRIVAL = code("arrival");
/** id = message: its holder retries it. */
export const RETRY = code("retry");
/** id = message: a relay took it over and makes its first attempt. */
export const ACCEPT = code("accept");
/** id = drain window: start measuring how long the queues take to empty after an outage. */
export const OUTAGE_END = code("outage-end");
/** id = admin action: retry everything queued at a node now. */
export const FLUSH = code("flush");
/** id = message: a flushed message's attempt. */
export const FORCED = code("forced");
/** id = flight (Delivery's table): an attempt that occupied a slot of its node's destination queue is over. */
export const DONE = code("done");
