import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-S7NKUZKX.js";import"./chunk-2FHJAGCQ.js";import"./chunk-4SN5IL7T.js";import"./chunk-VWLSEIAT.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
