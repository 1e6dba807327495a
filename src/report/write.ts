import { chmodSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** The input files of a run, as found (display paths), to keep reports from overwriting them. */
export interface RunInputs {
  files: { path: string }[];
  problems: { filePath: string }[];
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

const identity = (file: string): string | undefined => {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${st.dev}:${st.ino}` : undefined;
};

/**
 * Checks the output files before anything is written: the same file twice is a usage
 * error, and so is a file that is one of the inputs (by identity: links and hard links
 * count), since writing the report there would destroy a manifest.
 */
export function checkOutputFiles(outputs: readonly (string | undefined)[], inputs: RunInputs, cwd: string): void {
  const given = outputs.filter((f): f is string => f !== undefined);
  const seen = new Map<string, string>();
  for (const f of given) {
    const at = landing(path.resolve(cwd, f));
    const first = seen.get(at);
    if (first !== undefined) throw new UsageError(`--output-file ${f} is given twice${first !== f ? ` (as ${first})` : ''}; give each report its own file`);
    seen.set(at, f);
  }
  const existing = new Map<string, string>();
  for (const f of given) {
    const id = identity(path.resolve(cwd, f));
    if (id) existing.set(id, f);
  }
  if (existing.size === 0) return; // a file that does not exist yet was not read
  const names = [...inputs.files.map((f) => f.path), ...inputs.problems.map((p) => p.filePath)];
  for (const name of names) {
    if (name === '<stdin>') continue;
    const out = existing.get(identity(path.resolve(cwd, name)) ?? '');
    if (out !== undefined) {
      throw new UsageError(`--output-file ${out} is one of the inputs (${name}); writing the report there would overwrite it: write it elsewhere, or leave the file out with an \`ignore\` glob in .svclint.yaml`);
    }
  }
}

/**
 * Writes a report atomically: a temporary file in the same folder, renamed over the
 * target, so a reader never sees half a report and a failed write leaves the old one.
 * Devices and pipes (/dev/stdout, /dev/null) are written in place.
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
