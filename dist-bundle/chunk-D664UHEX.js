import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-DVLNWPYD.js";import"./chunk-42GLVLU4.js";import"./chunk-ANS3W2JD.js";import"./chunk-V6NI6HUN.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
