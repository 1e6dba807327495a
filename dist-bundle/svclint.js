import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{main}from"./chunk-ZUILCB2E.js";import"./chunk-MEDRTLPN.js";import"./chunk-HRISGDEV.js";import"./chunk-S2D3DEIY.js";import"./chunk-CYA7COUZ.js";import"./chunk-D46VM2VQ.js";import"./chunk-KSG5KKCH.js";import"./chunk-IV3VEU3H.js";import"./chunk-5O2OQQ6W.js";main();
