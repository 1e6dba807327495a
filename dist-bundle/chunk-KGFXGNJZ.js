import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-3TE5LJ7D.js";import"./chunk-7AFI5WBH.js";import"./chunk-KSG5KKCH.js";import"./chunk-OEF6WFPP.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
