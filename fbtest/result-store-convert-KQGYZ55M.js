import {
  duckToSqliteCopy,
  runsMissingAnyEngine,
  withSqliteFile
} from "./chunk-WQCHLIZ2.js";
import "./chunk-4EA4CMZF.js";
import "./chunk-JVFBRQ5H.js";
import "./chunk-6R3MSQNP.js";
import "./chunk-EEPF45DI.js";
export {
  duckToSqliteCopy,
  runsMissingAnyEngine,
  withSqliteFile
};
