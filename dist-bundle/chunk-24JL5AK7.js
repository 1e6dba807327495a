import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-NCABBNHU.js";import"./chunk-5FJGGIST.js";import"./chunk-4SN5IL7T.js";import"./chunk-V6NI6HUN.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
