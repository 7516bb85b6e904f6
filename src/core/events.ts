/**
 * The kinds of event the simulation schedules, defined in one place. An event is
 * (time, kind, id); what the id names depends on the kind.
 */
/** id = sender: create a message, schedule the sender's next one. */
export const ARRIVAL = 0;
/** id = message: its holder retries it. */
export const RETRY = 1;
/** id = message: a relay took it over and makes its first attempt. */
export const ACCEPT = 2;
/** id = drain window: start measuring how long the queues take to empty after an outage. */
export const OUTAGE_END = 3;
/** id = admin action: retry everything queued at a node now. */
export const FLUSH = 4;
/** id = message: a flushed message's attempt. */
export const FORCED = 5;
