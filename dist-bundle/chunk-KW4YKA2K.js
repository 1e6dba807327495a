import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-D4LLH7CW.js";import"./chunk-SBICVGQY.js";import"./chunk-AIDXIIJ6.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
