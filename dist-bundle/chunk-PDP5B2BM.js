import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-HN7BETA6.js";import"./chunk-2D6LIZNS.js";import"./chunk-4SN5IL7T.js";import"./chunk-VWLSEIAT.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
