import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-JSODDHMU.js";import"./chunk-M2L6FPDD.js";import"./chunk-LXJBD4KM.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
