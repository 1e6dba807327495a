import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{parseText}from"./chunk-D46VM2VQ.js";import"./chunk-KSG5KKCH.js";import"./chunk-5O2OQQ6W.js";import{parentPort}from"node:worker_threads";parentPort.on("message",msg=>{parentPort.postMessage({id:msg.id,results:msg.texts.map(t=>parseText(t))})});
