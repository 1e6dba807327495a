import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-C6CBM53O.js";import"./chunk-MU2Q4Y3U.js";import"./chunk-N5F7TTI2.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
