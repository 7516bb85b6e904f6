/**
 * A progress bar on stderr, counted in simulated time ("day 3.2 of 14"), shown
 * only on a terminal and only once a run has taken more than a second, so
 * short runs and piped output stay clean.
 */
import cliProgress from "cli-progress";

export interface Progress {
  /** Pass to simulate()'s onProgress. */
  tick: (time: number) => void;
  /** Removes the bar once the simulation is over. */
  stop: () => void;
}

export function progress(duration: number, stream: NodeJS.WriteStream = process.stderr): Progress | undefined {
  if (!stream.isTTY) return undefined;
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    tick: (time: number) => {
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          { stream, format: "simulating: day {day} of {days} |{bar}| {percentage}%", clearOnComplete: true, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(duration, 0, { day: "0.0", days: (duration / 86400).toFixed(1) });
      }
      bar.update(Math.min(time, duration), { day: (time / 86400).toFixed(1) });
    },
    stop: () => bar?.stop(),
  };
}
