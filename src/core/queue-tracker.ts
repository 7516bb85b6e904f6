/**
 * Queue depth over time. A message counts in a node's queue while it is
 * deferred there, waiting for a retry; it stops counting when an attempt
 * delivers, relays or bounces it. Changes are recorded at the start time of
 * the attempt that causes them.
 *
 * Depth is kept per node (exact peaks) and per *series* for charts: one series
 * per relay server and one for all senders' own queues together, each binned
 * in fixed time bins (the maximum within the bin and the depth at its end), so
 * memory depends on the simulated duration, not on the number of messages.
 */

export interface SeriesSpec {
  name: string;
  /** "relay": a backup MX's queue; "senders": all senders' own queues summed. */
  kind: "relay" | "senders";
}

/** A pending or finished drain measurement: a series after an outage window ends. */
export interface Drain {
  series: number;
  /** Index into the list of drain windows the simulator passed in. */
  window: number;
  /** When the window ended (seconds). */
  from: number;
  /** When the series' queue was first empty at or after `from`; NaN if never within the run. */
  drainedAt: number;
}

export class QueueTracker {
  readonly bins: number;
  /** Per node: current depth, peak depth and when it was first reached. */
  readonly nodeDepth: Int32Array;
  readonly nodePeak: Int32Array;
  readonly nodePeakAt: Float64Array;
  /** Per series: current depth, binned maximum and end-of-bin depth. */
  readonly depth: Int32Array;
  readonly peak: Int32Array;
  readonly peakAt: Float64Array;
  readonly binMax: Int32Array[];
  readonly binEnd: Int32Array[];
  readonly drains: Drain[] = [];
  private readonly lastBin: Int32Array;
  private readonly pending: Drain[][];

  /**
   * @param seriesOfNode series index of each node, or -1 for nodes that never queue
   * @param binWidth width of a chart bin, seconds of simulated time
   * @param duration simulated horizon, seconds
   */
  constructor(
    readonly series: SeriesSpec[],
    private readonly seriesOfNode: Int32Array,
    readonly binWidth: number,
    duration: number,
  ) {
    this.bins = Math.max(1, Math.ceil(duration / binWidth));
    const nodes = seriesOfNode.length;
    this.nodeDepth = new Int32Array(nodes);
    this.nodePeak = new Int32Array(nodes);
    this.nodePeakAt = new Float64Array(nodes);
    const n = series.length;
    this.depth = new Int32Array(n);
    this.peak = new Int32Array(n);
    this.peakAt = new Float64Array(n);
    this.lastBin = new Int32Array(n);
    this.binMax = series.map(() => new Int32Array(this.bins));
    this.binEnd = series.map(() => new Int32Array(this.bins));
    this.pending = series.map(() => []);
  }

  /** Adds `delta` (+1 or -1) to the queue of `node` at time `t`. */
  change(node: number, t: number, delta: number): void {
    const d = (this.nodeDepth[node] += delta);
    if (d > this.nodePeak[node]!) {
      this.nodePeak[node] = d;
      this.nodePeakAt[node] = t;
    }
    const s = this.seriesOfNode[node]!;
    if (s < 0) return;
    const b = Math.min(this.bins - 1, Math.floor(t / this.binWidth));
    this.advance(s, b);
    const depth = (this.depth[s] += delta);
    const max = this.binMax[s]!;
    if (depth > max[b]!) max[b] = depth;
    if (depth > this.peak[s]!) {
      this.peak[s] = depth;
      this.peakAt[s] = t;
    }
    if (depth === 0) {
      for (const drain of this.pending[s]!) drain.drainedAt = t;
      this.pending[s]!.length = 0;
    }
  }

  /** Starts measuring how long every series takes to empty after `t` (an outage's end). */
  watchDrain(window: number, t: number): void {
    for (let s = 0; s < this.series.length; s++) {
      const drain: Drain = { series: s, window, from: t, drainedAt: NaN };
      this.drains.push(drain);
      if (this.depth[s] === 0) drain.drainedAt = t;
      else this.pending[s]!.push(drain);
    }
  }

  /** Closes the bins up to the end of the run. */
  finish(): void {
    for (let s = 0; s < this.series.length; s++) {
      this.advance(s, this.bins - 1);
      this.binEnd[s]![this.bins - 1] = this.depth[s]!;
    }
  }

  /** Carries series `s` forward to bin `b`: the bins it skipped held its current depth throughout. */
  private advance(s: number, b: number): void {
    const last = this.lastBin[s]!;
    if (b <= last) return;
    const depth = this.depth[s]!;
    const max = this.binMax[s]!;
    const end = this.binEnd[s]!;
    end[last] = depth;
    for (let k = last + 1; k <= b; k++) {
      max[k] = depth;
      end[k] = depth;
    }
    this.lastBin[s] = b;
  }
}
