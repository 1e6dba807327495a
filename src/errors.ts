/** A problem with how svclint was called or configured: exit code 2, one line on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const SYSTEM_ERRORS: Record<string, string> = {
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EMFILE: 'too many open files',
  EBUSY: 'the file is busy',
};

/** A system error in words, with its code: `permission denied (EACCES)`; the message for others. */
export function systemErrorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && SYSTEM_ERRORS[code]) return `${SYSTEM_ERRORS[code]} (${code})`;
  return code ?? (err instanceof Error ? err.message : String(err));
}
