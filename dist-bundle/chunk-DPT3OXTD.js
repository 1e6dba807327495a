import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{chainView,externalName,kubeProxyMode}from"./chunk-4J32N7AO.js";import"./chunk-3D6MP2YK.js";import"./chunk-ANS3W2JD.js";import"./chunk-V6NI6HUN.js";import"./chunk-5O2OQQ6W.js";export{chainView,externalName,kubeProxyMode};
