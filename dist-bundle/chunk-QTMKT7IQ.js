import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-557OVKGS.js";import"./chunk-5RZXXD2H.js";import"./chunk-4SN5IL7T.js";import"./chunk-7MF2UY4L.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
