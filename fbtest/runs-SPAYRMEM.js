import {
  renderBest,
  renderLineage,
  renderRun,
  renderRunDetail,
  renderRuns
} from "./chunk-IENRH4TZ.js";
import "./chunk-WWW47GSY.js";
import "./chunk-3CSTKKST.js";
import "./chunk-XMJSE742.js";
export {
  renderBest,
  renderLineage,
  renderRun,
  renderRunDetail,
  renderRuns
};
