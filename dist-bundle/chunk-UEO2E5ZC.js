import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-JLLEWI3V.js";import"./chunk-UN6ZFDQW.js";import"./chunk-FBERXDNN.js";import"./chunk-OEF6WFPP.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
