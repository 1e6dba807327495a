import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
function usePlainEnvironment(){process.platform!=="win32"&&(process.env={...process.env})}export{usePlainEnvironment};
