import {
  jsValue,
  lockMessage,
  openDuckStore
} from "./chunk-JVFBRQ5H.js";
import "./chunk-6R3MSQNP.js";
import "./chunk-EEPF45DI.js";
export {
  jsValue,
  lockMessage,
  openDuckStore
};
