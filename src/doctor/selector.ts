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
  // Own keys only: a label may be named `constructor` or `toString`.
  const get = (labels: Record<string, string>, key: string) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
  return (labels) =>
    reqs.every((r) => (r.op === '=' ? get(labels, r.key) === r.value : r.op === '!=' ? get(labels, r.key) !== r.value : r.op === 'exists' ? get(labels, r.key) !== undefined : get(labels, r.key) === undefined));
}
