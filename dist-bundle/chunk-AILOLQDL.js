import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-LRHFJATO.js";import"./chunk-KQ3TFKHA.js";import"./chunk-D2K7NKQ6.js";import"./chunk-OEF6WFPP.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
