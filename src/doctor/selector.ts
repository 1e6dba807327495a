import { UsageError } from '../errors.js';

type Req = { key: string; op: '=' | '!=' | 'exists' | '!exists'; value?: string };

/** A kubectl-style equality label selector: `app=web,tier!=db,canary,!legacy`. */
export function parseLabelSelector(s: string): (labels: Record<string, string>) => boolean {
  const reqs: Req[] = [];
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) reqs.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! });
    else if (/^![^!=\s]+$/.test(part)) reqs.push({ key: part.slice(1), op: '!exists' });
    else if (/^[^!=\s]+$/.test(part)) reqs.push({ key: part, op: 'exists' });
    else throw new UsageError(`cannot read the label selector '${s}' (use key=value, key!=value, key or !key, separated by commas)`);
  }
  return (labels) =>
    reqs.every((r) => (r.op === '=' ? labels[r.key] === r.value : r.op === '!=' ? labels[r.key] !== r.value : r.op === 'exists' ? r.key in labels : !(r.key in labels)));
}
