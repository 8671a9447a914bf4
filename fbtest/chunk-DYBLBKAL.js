// dist/json/contract.js
var SCHEMA_VERSION = 1;
function jsonResult(kind, data) {
  return { schemaVersion: SCHEMA_VERSION, kind, ...data };
}

export {
  jsonResult
};
