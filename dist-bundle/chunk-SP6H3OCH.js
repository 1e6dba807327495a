import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-2ZADT2VM.js";import"./chunk-4H6ODAOC.js";import"./chunk-LXJBD4KM.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
