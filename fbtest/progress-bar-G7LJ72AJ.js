import {
  formatBytes
} from "./chunk-WWW47GSY.js";
import {
  progressOnStderr
} from "./chunk-XMJSE742.js";

// dist/render/progress-bar.js
var NONE = { tick() {
}, stop() {
} };
var MIN_BYTES_FOR_BAR = 32 * 1024 * 1024;
function amount(unit, n) {
  return unit === "bytes" ? formatBytes(n) : `${Math.round(n).toLocaleString("en-US")} rows`;
}
async function progressBar(options) {
  const stream = options.stream ?? process.stderr;
  const threshold = options.threshold ?? (options.unit === "bytes" ? MIN_BYTES_FOR_BAR : 1e5);
  if (!progressOnStderr(stream) || options.total < threshold)
    return NONE;
  const { SingleBar } = (await import("cli-progress")).default;
  const started = Date.now();
  const bar = new SingleBar({
    stream,
    hideCursor: true,
    clearOnComplete: true,
    stopOnComplete: false,
    barsize: 24,
    fps: 8,
    format: (_opts, params, payload) => {
      const width = 24;
      const filled = Math.round(params.progress * width);
      const seconds = Math.max(1e-3, (Date.now() - started) / 1e3);
      const rate = params.value / seconds;
      const eta = rate > 0 ? Math.max(0, (params.total - params.value) / rate) : 0;
      const etaText = params.value === 0 ? "--" : eta >= 60 ? `${Math.floor(eta / 60)}m${Math.round(eta % 60)}s` : `${Math.ceil(eta)}s`;
      return `${payload.label} [${"\u2588".repeat(filled)}${"\u2591".repeat(width - filled)}] ${Math.floor(params.progress * 100)}% ${amount(options.unit, params.value)}/${amount(options.unit, params.total)} ${amount(options.unit, rate)}/s ETA ${etaText}`;
    }
  });
  bar.start(options.total, 0, { label: options.label });
  let done = 0;
  let stopped = false;
  const clear = () => {
    if (stopped)
      return;
    stopped = true;
    bar.stop();
    stream.write("\r\x1B[2K");
  };
  const forget = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  function onSignal(signal) {
    clear();
    forget();
    if (process.listenerCount(signal) === 0)
      process.kill(process.pid, signal);
  }
  process.prependListener("SIGINT", onSignal);
  process.prependListener("SIGTERM", onSignal);
  return {
    tick(n) {
      done += n;
      if (!stopped)
        bar.update(Math.min(done, options.total));
    },
    stop() {
      clear();
      forget();
    }
  };
}
export {
  MIN_BYTES_FOR_BAR,
  progressBar
};
