import { chmodSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * A file a run reads, with what it is for messages (`the kubeconfig`, `a Helm values
 * file`); manifests are `one of the inputs`. A folder read whole (a Helm chart, a
 * kustomization) keeps every output out of it.
 */
export interface ReadPath {
  path: string;
  what: string;
  folder?: boolean;
}

export const INPUT = 'one of the inputs';

/** The input files of a run, as found (display paths), to keep reports from overwriting them. */
export interface RunInputs {
  files: { path: string; rendered?: string; parts?: { verbatim?: { file: { path: string } }; template?: { file: { path: string } }; sources?: { file: { path: string } }[] }[] }[];
  problems: { filePath: string }[];
  /** Ignore files and folders read whole (rendered charts and kustomizations). */
  read?: ReadPath[];
}

/** Everything a lint run read, from what discover() returns. */
export function inputReads(inputs: RunInputs): ReadPath[] {
  const out: ReadPath[] = [];
  for (const f of inputs.files) {
    if (!f.rendered) out.push({ path: f.path, what: INPUT });
    for (const p of f.parts ?? []) for (const real of [p.verbatim?.file, p.template?.file, ...(p.sources ?? []).map((x) => x.file)]) if (real) out.push({ path: real.path, what: INPUT });
  }
  for (const p of inputs.problems) out.push({ path: p.filePath, what: INPUT });
  return [...out, ...(inputs.read ?? [])];
}

/** The path a write would land on: links resolved, also for a file that does not exist yet. */
function landing(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    try {
      return path.join(realpathSync.native(path.dirname(file)), path.basename(file));
    } catch {
      return file;
    }
  }
}

/** Device and inode of a regular file (links followed); devices and pipes are written in place, never replaced. */
const identity = (file: string): string | undefined => {
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    return st?.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
};

const inside = (folder: string, file: string) => file === folder || file.startsWith(`${folder}${path.sep}`);

/**
 * The one rule for outputs: checked before anything is written (and before the work, for
 * the files known up front), an output file may not be given twice, and may not be any file
 * the run reads — manifests, config, ignore files, kubeconfig and the files it names, Helm
 * values, a saved state — compared by the path it lands on (links resolved) and by device
 * and inode (hard links), nor lie inside a folder read whole.
 */
export function checkOutputFiles(outputs: readonly (string | undefined)[], reads: RunInputs | readonly ReadPath[], cwd: string): void {
  const given = outputs.filter((f): f is string => f !== undefined);
  if (given.length === 0) return;
  const seen = new Map<string, string>();
  for (const f of given) {
    const at = landing(path.resolve(cwd, f));
    const first = seen.get(at);
    if (first !== undefined) throw new UsageError(`--output-file ${f} is given twice${first !== f ? ` (as ${first})` : ''}; give each report its own file`);
    seen.set(at, f);
  }
  const outs = given.map((f) => {
    const abs = path.resolve(cwd, f);
    return { f, at: landing(abs), id: identity(abs) };
  });
  const list = Array.isArray(reads) ? (reads as readonly ReadPath[]) : inputReads(reads as RunInputs);
  // A file the run read is a regular file that exists. An output lands on it only when the
  // output is that file too: the same device and inode, whatever the path (a link, a hard
  // link, the same path). An output that is no regular file yet (new, a pipe, a device) is
  // no such file, so only outputs with an identity are compared, and only by it: one stat
  // per input, no path resolution.
  const existing = outs.filter((o) => o.id !== undefined);
  for (const r of list) {
    if (r.path === '<stdin>' || r.path === '-') continue;
    const abs = path.resolve(cwd, r.path);
    if (r.folder) {
      const at = landing(abs);
      const out = outs.find((o) => inside(at, o.at));
      if (out) throw new UsageError(`--output-file ${out.f} is inside ${r.what} ${r.path}, which the run reads; write the report elsewhere`);
      continue;
    }
    if (existing.length === 0) continue;
    const id = identity(abs);
    const out = id === undefined ? undefined : existing.find((o) => o.id === id);
    if (!out) continue;
    if (r.what === INPUT) {
      throw new UsageError(`--output-file ${out.f} is one of the inputs (${r.path}); writing the report there would overwrite it: write it elsewhere, or leave the file out with an \`ignore\` glob in .svclint.yaml`);
    }
    throw new UsageError(`--output-file ${out.f} is ${r.what} (${r.path}), which the run reads; writing the report there would overwrite it: write it elsewhere`);
  }
}

/**
 * Writes a report atomically: a temporary file in the same folder, renamed over the
 * target, so a reader never sees half a report and a failed write leaves the old one.
 * Devices and pipes (/dev/stdout, /dev/null) are written in place, and so is a writable
 * file in a folder where no temporary file can be created.
 */
export function writeReport(file: string, text: string): void {
  const target = landing(file);
  const st = statSync(target, { throwIfNoEntry: false });
  if (st && !st.isFile()) {
    writeFileSync(target, text);
    return;
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
  } catch (err) {
    // A writable file in a folder we may not create files in: written in place (the
    // output was checked against every input before, so this is never one of them).
    const code = (err as NodeJS.ErrnoException).code;
    if (st && (code === 'EACCES' || code === 'EPERM')) {
      writeFileSync(target, text);
      return;
    }
    throw err;
  }
  try {
    if (st) chmodSync(tmp, st.mode & 0o7777);
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // not created
    }
    throw err;
  }
}
