import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{mark,timingLine}from"./chunk-7NDYLGSY.js";import"./chunk-5O2OQQ6W.js";export{mark,timingLine};
