import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{MAX_FILE_BYTES,MAX_FOLDER_BYTES,cacheFolder,prune,readCache,requireWithCodeCache,writeCache}from"./chunk-LF2EOCYM.js";import"./chunk-5O2OQQ6W.js";export{MAX_FILE_BYTES,MAX_FOLDER_BYTES,cacheFolder,prune,readCache,requireWithCodeCache,writeCache};
