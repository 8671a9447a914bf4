import {
  listRuns,
  showRun
} from "./chunk-IS555MPY.js";
import "./chunk-4N3LEBDJ.js";
import "./chunk-4BO6BZBU.js";
import "./chunk-WQCHLIZ2.js";
import "./chunk-4EA4CMZF.js";
import "./chunk-ASMXSKYY.js";
import {
  jsonResult
} from "./chunk-DYBLBKAL.js";
import "./chunk-II2DAUAW.js";
import "./chunk-N3ADXXN7.js";
import "./chunk-3CSTKKST.js";
import "./chunk-JVFBRQ5H.js";
import "./chunk-6R3MSQNP.js";
import "./chunk-EEPF45DI.js";

// dist/actions/runs.js
async function answer(io, kind, data, render) {
  if (!io.json)
    io.log(render(await import("./runs-SPAYRMEM.js")));
  return jsonResult(kind, data);
}
async function runs(query, io) {
  const found = await listRuns(await io.openRepo(), query);
  return answer(io, "runs", found, (r) => r.renderRuns(found));
}
async function runsShow(run, io) {
  const detail = await showRun(await io.openRepo(), run);
  return answer(io, "runs-show", detail, (r) => r.renderRunDetail(detail));
}
export {
  runs,
  runsShow
};
