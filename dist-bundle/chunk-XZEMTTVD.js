import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-L64XLP6P.js";import"./chunk-K7UN2YVE.js";import"./chunk-N5AX3GKT.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
