import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-3UAVTJFB.js";import"./chunk-KBBP7YAP.js";import"./chunk-LXJBD4KM.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
