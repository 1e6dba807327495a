import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-UTXBZ7DH.js";import"./chunk-7KF6WOVE.js";import"./chunk-U4MLUERR.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
