// dist/domain/retract.js
var RETRACT_PREFIX = "xv-retracted/";
function retractedAmong(tags) {
  const map = /* @__PURE__ */ new Map();
  for (const { name, subject } of tags)
    if (name.startsWith(RETRACT_PREFIX))
      map.set(name.slice(RETRACT_PREFIX.length), { reason: subject });
  return map;
}
async function retractedVersions(git) {
  const map = /* @__PURE__ */ new Map();
  for (const { name, subject } of await git.tagSubjects(RETRACT_PREFIX))
    map.set(name, { reason: subject });
  return map;
}

export {
  retractedAmong,
  retractedVersions
};
