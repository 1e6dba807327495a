import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-OMJPYIGN.js";import"./chunk-FDJTFYH4.js";import"./chunk-4SN5IL7T.js";import"./chunk-OEF6WFPP.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
