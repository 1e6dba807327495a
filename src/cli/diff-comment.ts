/** Marks the one comment svclint keeps on a pull request, so a later run updates it. */
export const COMMENT_MARKER = '<!-- svclint:service-graph -->';

export interface CommentTarget {
  /** GITHUB_API_URL, e.g. https://api.github.com */
  api: string;
  /** owner/name */
  repository: string;
  pullRequest: number;
  token: string;
}

export type CommentResult = { ok: true; action: 'created' | 'updated' | 'unchanged' | 'skipped'; url?: string } | { ok: false; why: string };

interface IssueComment {
  id: number;
  body?: string;
  html_url?: string;
}

/**
 * Posts `body` as the pull request's svclint comment, or edits the one posted before (found
 * by its marker among the issue comments). `create: false` only edits an existing comment
 * (nothing changed: no new comment is worth a notification). Never throws: a token without
 * `pull-requests: write`, a network failure or an unexpected answer is a result that says why.
 */
export async function upsertComment(t: CommentTarget, body: string, opts: { create: boolean; timeoutMs?: number }): Promise<CommentResult> {
  const text = `${COMMENT_MARKER}\n${body}`;
  const headers = { Accept: 'application/vnd.github+json', Authorization: `Bearer ${t.token}`, 'X-GitHub-Api-Version': '2022-11-28', 'Content-Type': 'application/json', 'User-Agent': 'svclint' };
  const call = async (method: string, url: string, payload?: unknown): Promise<{ status: number; json: unknown; link: string | null }> => {
    const r = await fetch(url, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
    const raw = await r.text();
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.status, json, link: r.headers.get('link') };
  };
  const refused = (status: number, json: unknown, what: string) => {
    const message = json && typeof json === 'object' && 'message' in json ? String((json as { message: unknown }).message) : '';
    const hint = status === 403 || status === 404 || status === 401 ? ' (does the workflow grant `permissions: pull-requests: write`?)' : '';
    return { ok: false as const, why: `${what}: HTTP ${status}${message ? ` ${message}` : ''}${hint}` };
  };
  try {
    const base = `${t.api.replace(/\/+$/, '')}/repos/${t.repository}`;
    let url: string | undefined = `${base}/issues/${t.pullRequest}/comments?per_page=100`;
    let mine: IssueComment | undefined;
    for (let page = 0; url && page < 50 && !mine; page++) {
      const r = await call('GET', url);
      if (r.status !== 200 || !Array.isArray(r.json)) return refused(r.status, r.json, 'listing the pull request comments');
      mine = (r.json as IssueComment[]).find((c) => typeof c.body === 'string' && c.body.startsWith(COMMENT_MARKER));
      url = /<([^>]+)>;\s*rel="next"/.exec(r.link ?? '')?.[1];
    }
    if (mine) {
      if (mine.body === text) return { ok: true, action: 'unchanged', url: mine.html_url };
      const r = await call('PATCH', `${base}/issues/comments/${mine.id}`, { body: text });
      if (r.status !== 200) return refused(r.status, r.json, 'updating the svclint comment');
      return { ok: true, action: 'updated', url: (r.json as IssueComment | undefined)?.html_url };
    }
    if (!opts.create) return { ok: true, action: 'skipped' };
    const r = await call('POST', `${base}/issues/${t.pullRequest}/comments`, { body: text });
    if (r.status !== 201) return refused(r.status, r.json, 'posting the svclint comment');
    return { ok: true, action: 'created', url: (r.json as IssueComment | undefined)?.html_url };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, why: `cannot reach ${t.api}: ${e.cause?.code ?? (e.name === 'TimeoutError' ? 'timed out' : e.message)}` };
  }
}
