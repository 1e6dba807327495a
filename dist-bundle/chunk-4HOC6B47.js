import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-3UWHNXRL.js";import"./chunk-YC5XOBYD.js";import"./chunk-SDBJMLGG.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
