import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-NU6K3RS5.js";import"./chunk-4UTUQNYK.js";import"./chunk-N5F7TTI2.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
