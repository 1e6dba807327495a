import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-MSXN47GY.js";import"./chunk-FGK4QUFA.js";import"./chunk-FPGC64YB.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
