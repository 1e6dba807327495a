import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{main}from"./chunk-SVXNVZWS.js";import"./chunk-QVOADB7J.js";import"./chunk-DMC65SXD.js";import"./chunk-LGAWYL76.js";import"./chunk-CYA7COUZ.js";import"./chunk-D46VM2VQ.js";import"./chunk-KSG5KKCH.js";import"./chunk-IV3VEU3H.js";import"./chunk-5O2OQQ6W.js";main();
