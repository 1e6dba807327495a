import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-6D3SK4IJ.js";import"./chunk-FYKCLKYA.js";import"./chunk-N5F7TTI2.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
