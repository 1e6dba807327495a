import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-LS3JP7MG.js";import"./chunk-5PEGJCZ2.js";import"./chunk-LXJBD4KM.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
