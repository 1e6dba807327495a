import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{main}from"./chunk-UJCK72SS.js";import"./chunk-ZQEX7LD5.js";import"./chunk-D7LK2FYI.js";import"./chunk-UIA5FUMQ.js";import"./chunk-CYA7COUZ.js";import"./chunk-D46VM2VQ.js";import"./chunk-KSG5KKCH.js";import"./chunk-IV3VEU3H.js";import"./chunk-5O2OQQ6W.js";main();
