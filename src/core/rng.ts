import seedrandom from "seedrandom";

/** A source of uniform numbers in [0, 1). */
export type Stream = () => number;

/**
 * Named random streams, all derived from one scenario seed.
 *
 * Each stream is seeded with `${seed}:${run}:${name}`, so the draws of one
 * component (say the arrivals of one sender) do not move when another
 * component starts drawing more or fewer numbers: common random numbers across
 * variants of a scenario, and independent streams across runs.
 *
 * The generator is seedrandom's Alea: small state, fast, and it never touches
 * Math.random.
 */
export class Streams {
  private readonly made = new Map<string, Stream>();

  constructor(
    readonly seed: number,
    readonly run: number = 0,
  ) {}

  /** The stream called `name`; the same object on every call. */
  get(name: string): Stream {
    let s = this.made.get(name);
    if (!s) {
      s = seedrandom.alea(`${this.seed}:${this.run}:${name}`);
      this.made.set(name, s);
    }
    return s;
  }
}

/** An exponential draw with the given mean, by inversion. */
export function exponential(stream: Stream, mean: number): number {
  // 1 - u is in (0, 1], so the log is finite.
  return -Math.log(1 - stream()) * mean;
}
