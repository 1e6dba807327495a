import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-OIQPNBGO.js";import"./chunk-3BULTSLZ.js";import"./chunk-KSG5KKCH.js";import"./chunk-VWLSEIAT.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
