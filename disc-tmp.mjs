import { discover } from './dist/src/load/discover.js';
for (let k=0;k<3;k++){
const t=performance.now(); const c=process.cpuUsage();
const d = await discover(['/tmp/gs20k'], { cwd: process.cwd(), render: false });
const u=process.cpuUsage(c);
console.log(d.files.length, (performance.now()-t).toFixed(0),'ms wall', ((u.user+u.system)/1000).toFixed(0),'ms cpu', (u.system/1000).toFixed(0), 'sys');
}
