import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-MZXXCJQB.js";import"./chunk-4YTUHB5T.js";import"./chunk-SDBJMLGG.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
