import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-ZV46IA3C.js";import"./chunk-PZT3DYSY.js";import"./chunk-AIDXIIJ6.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
