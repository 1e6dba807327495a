import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{main}from"./chunk-NDMK625K.js";import"./chunk-TFCYYIP2.js";import"./chunk-IEHN3ABR.js";import"./chunk-7OEBECDP.js";import"./chunk-BVPM7POJ.js";import"./chunk-D46VM2VQ.js";import"./chunk-KSG5KKCH.js";import"./chunk-IV3VEU3H.js";import"./chunk-5O2OQQ6W.js";main();
