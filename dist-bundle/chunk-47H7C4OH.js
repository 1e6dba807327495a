import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-7TQBUXQS.js";import"./chunk-XTYSOU76.js";import"./chunk-U4MLUERR.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
