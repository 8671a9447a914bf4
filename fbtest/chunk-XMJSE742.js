// dist/terminal.js
function progressOnStderr(stream = process.stderr) {
  return stream.isTTY && process.env.TERM !== "dumb" && !process.env.CI;
}
var relayed = false;
function clearProgressLine(stream = process.stderr) {
  if (!progressOnStderr(stream))
    return;
  stream.write("\r\x1B[2K");
  relayed = false;
}
function relayEnv(stream = process.stderr) {
  return progressOnStderr(stream) ? { DVC_IGNORE_ISATTY: "true", COLUMNS: String(Math.max(40, (stream.columns || 80) - 1)) } : {};
}
var CONTROL = /\u001B\[[0-9;?]*[A-Za-z]/g;
var BAR = /\|.*\[\d+:\d\d/;
function relayProgress(source, out = process.stderr) {
  if (!source || !progressOnStderr(out))
    return { stop: () => {
    } };
  let pending = "";
  const onData = (chunk) => {
    pending += chunk.toString();
    const parts = pending.split(/[\r\n]/);
    pending = parts.pop() ?? "";
    const bar = parts.map((p) => p.replace(CONTROL, "").trim()).filter((p) => BAR.test(p)).at(-1);
    if (bar === void 0)
      return;
    const width = Math.max(20, (out.columns || 80) - 1);
    out.write(`\r\x1B[2K${bar.length > width ? `${bar.slice(0, width - 1)}\u2026` : bar}`);
    relayed = true;
  };
  source.on("data", onData);
  return {
    stop: () => {
      source.off("data", onData);
      if (relayed)
        clearProgressLine(out);
    }
  };
}

export {
  progressOnStderr,
  clearProgressLine,
  relayEnv,
  relayProgress
};
