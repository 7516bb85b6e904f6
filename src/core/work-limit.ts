/** Thrown when a run would do more work than its caller allowed (a resource guard of the shell). */
export class WorkLimitExceeded extends Error {
  constructor(
    readonly what: "outage windows" | "events" | "connections" | "bytes",
    readonly limit: number,
  ) {
    super(`more than ${limit} ${what}`);
  }
}
