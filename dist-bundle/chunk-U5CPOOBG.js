import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-L6DTSWRV.js";import"./chunk-KE5RYVOK.js";import"./chunk-LKMOYAAD.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
