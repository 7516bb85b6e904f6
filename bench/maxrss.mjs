// Loaded with `node --import` into a reference benchmark: reports the process's peak memory on exit.
process.on("exit", () => process.stderr.write(`${JSON.stringify({ peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1) })}\n`));
