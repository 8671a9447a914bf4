import {
  bestRun
} from "../chunk-IS555MPY.js";
import "../chunk-4N3LEBDJ.js";
import "../chunk-4BO6BZBU.js";
import "../chunk-WQCHLIZ2.js";
import "../chunk-4EA4CMZF.js";
import "../chunk-ASMXSKYY.js";
import {
  jsonResult
} from "../chunk-DYBLBKAL.js";
import "../chunk-II2DAUAW.js";
import "../chunk-N3ADXXN7.js";
import "../chunk-3CSTKKST.js";
import "../chunk-JVFBRQ5H.js";
import "../chunk-6R3MSQNP.js";
import "../chunk-EEPF45DI.js";

// dist/actions/best.js
async function best(metric, flags, io) {
  const ctx = await io.openRepo();
  const found = await bestRun(ctx, {
    metric,
    ...flags.min ? { direction: "lower" } : flags.max ? { direction: "higher" } : {},
    version: flags.version,
    where: flags.where,
    all: flags.all
  });
  if (!io.json) {
    const { renderBest } = await import("../runs-SPAYRMEM.js");
    io.log(renderBest(found));
  }
  return jsonResult("best", found);
}
export {
  best
};
