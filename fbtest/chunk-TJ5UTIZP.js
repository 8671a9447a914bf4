// dist/domain/progress.js
var NONE = { tick() {
}, stop() {
} };
var silentProgress = () => Promise.resolve(NONE);

export {
  silentProgress
};
