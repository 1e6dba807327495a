import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-TQC7BDYG.js";import"./chunk-OJQYKVUR.js";import"./chunk-TTSODEAR.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
