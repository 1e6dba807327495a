import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-6NI637B5.js";import"./chunk-3V2SCWWU.js";import"./chunk-SDBJMLGG.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
