import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-N5RVRP4A.js";import"./chunk-D7KVEN74.js";import"./chunk-N5F7TTI2.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
