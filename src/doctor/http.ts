import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { MemoryBudget } from './budget.js';
import { ListStream, ListSyntaxError } from './list-stream.js';

/** How the doctor reaches one API server: TLS material and a source of credentials. */
export interface Endpoint {
  server: URL;
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized: boolean; servername?: string };
  /** Headers that carry the credentials (Authorization), and client certificates from a plugin. */
  credentials: (deadline: Deadline) => Promise<{ headers: Record<string, string>; cert?: string; key?: string }>;
  /** Connections kept open between the requests of one run (see keepAlive). */
  agent?: http.Agent;
  /** Credentials known from the kubeconfig, masked in every message (with those the credential source gives). */
  secrets?: string[];
}

/** The URL of an API path on this server: the server URL's own path is a prefix, as kubectl keeps it (`https://host/k8s/clusters/c-1` + `/api/v1/pods`). */
export function apiUrl(server: URL, path: string): URL {
  const base = new URL(server.href);
  const [p, q] = path.split('?', 2) as [string, string | undefined];
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${p}`;
  base.search = q ? `?${q}` : '';
  return base;
}

/** Every secret that could show in a message: header values, the token after its scheme, a basic password. */
function secretsIn(ep: Endpoint, headers: Record<string, string>): string[] {
  const out = [...(ep.secrets ?? [])];
  for (const v of Object.values(headers)) {
    out.push(v);
    const m = /^(\S+)\s+(.+)$/.exec(v);
    if (!m) continue;
    out.push(m[2]!);
    if (/^basic$/i.test(m[1]!)) {
      const plain = Buffer.from(m[2]!, 'base64').toString('utf8');
      out.push(plain, plain.slice(plain.indexOf(':') + 1));
    }
  }
  return out.filter((x) => x.length >= 4).sort((a, b) => b.length - a.length);
}

/** The text with each secret replaced by `***`. */
export function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}

/** Reuses connections for the requests of one run; destroy() it when the run is over. */
export function keepAlive(ep: Endpoint, sockets: number): http.Agent {
  return ep.server.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: sockets }) : new http.Agent({ keepAlive: true, maxSockets: sockets });
}

/** Bounds on time and size: per request, per response, per run. */
export interface Limits {
  /** Total time one request may take, from sending it to the last byte of its body. */
  requestTimeoutMs: number;
  /** Largest response body read, in bytes. */
  maxResponseBytes: number;
  /** Attempts for 429 and 5xx answers (the first included). */
  attempts: number;
}

/** The run's overall deadline: every wait and every request ends by it. */
export class Deadline {
  readonly at: number;
  constructor(readonly ms: number, now = Date.now()) {
    this.at = now + ms;
  }
  get left(): number {
    return this.at - Date.now();
  }
}

export type ApiErrorKind = 'stale' | 'status' | 'timeout' | 'deadline' | 'too-large' | 'garbage' | 'redirect' | 'network' | 'tls' | 'dns' | 'refused' | 'credentials' | 'memory';

/** A request that did not give a usable answer; `fatal` errors end the run (exit 2). */
export class ApiError extends Error {
  /**
   * `answered`: the server began an answer (a status, or a body cut off for its size or time):
   * it is reachable and the request was its problem, not the way to it.
   */
  constructor(readonly kind: ApiErrorKind, message: string, readonly status?: number, readonly answered = status !== undefined) {
    super(message);
  }
  /** The server (or the way to it) is unusable: not one kind's problem. */
  get fatal(): boolean {
    return ['deadline', 'tls', 'dns', 'refused', 'credentials', 'memory'].includes(this.kind) || this.status === 401;
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO/;

/** One line for a network-level failure, naming the cause. */
export function describeNetworkError(err: NodeJS.ErrnoException, host: string): ApiError {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return new ApiError('refused', `${code}: connection refused`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ApiError('dns', `${code}: cannot resolve the host name ${host}`);
  if (TLS_CODES.test(code)) {
    const why = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `the certificate is not valid for ${host}` : err.message.split('\n')[0];
    return new ApiError('tls', `${code}: ${why}; check certificate-authority(-data) and tls-server-name in the kubeconfig`);
  }
  return new ApiError('network', code ? `${code}${err.message && !err.message.includes(code) ? `: ${err.message.split('\n')[0]}` : ''}` : err.message.split('\n')[0] ?? 'network error');
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, when it was read whole (any answer but a list read element by element). */
  text?: string;
  /** A list read element by element: its top-level fields other than the elements. */
  fields?: Record<string, unknown>;
}

/** How a body is read: against the run's memory, and a list element by element. */
export interface BodyOptions {
  /** The run's memory: the body's text counts while it is held, and waits for its turn past the budget's share. */
  budget?: MemoryBudget;
  /**
   * For a list: each element of a successful answer's `items` is decoded as it arrives and
   * handed over (its text is then dropped); the answer's other fields are returned.
   */
  onItem?: (item: unknown, index: number) => void;
}

/**
 * One GET. The request timeout bounds its total time (a server that drips bytes does not
 * keep it alive), except while the body waits for its turn at the run's memory (the run
 * deadline still holds); the body is decoded as it arrives and cut off at the size cap.
 */
function once(ep: Endpoint, path: string, limits: Limits, deadline: Deadline, auth: { headers: Record<string, string>; cert?: string; key?: string }, body: BodyOptions): Promise<Answer> {
  const url = apiUrl(ep.server, path);
  const lib = url.protocol === 'https:' ? https : http;
  const { budget } = body;
  return new Promise<Answer>((resolve, reject) => {
    let started = false;
    const opts: https.RequestOptions = {
      method: 'GET',
      headers: { Accept: 'application/json', 'User-Agent': 'svclint', ...auth.headers },
      ...ep.tls,
      ...(auth.cert ? { cert: auth.cert, key: auth.key } : {}),
      agent: ep.agent ?? false,
    };
    let req: http.ClientRequest;
    try {
      req = lib.request(url, opts, onResponse);
    } catch (err) {
      // Client certificates a credential plugin gave that do not decode: one line, not a crash.
      reject(new ApiError('tls', `the client certificate or key does not decode (${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0]})`));
      return;
    }
    /** This answer: its place in the queue for the memory turn. */
    const me = {};
    /** Bytes of this answer counted in flight. */
    let held = 0;
    const done = () => {
      clearTimeout(timer);
      if (!budget) return;
      budget.flight(-held);
      held = 0;
      budget.release(me);
    };
    function onResponse(res: http.IncomingMessage) {
      started = true;
      const decoder = new StringDecoder('utf8');
      const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
      const onItem = body.onItem;
      const stream = ok && onItem ? new ListStream((text, i) => {
        // Decoding needs room for the element's values beside its text.
        budget?.check(2 * text.length);
        let item: unknown;
        try {
          item = JSON.parse(text);
        } catch (err) {
          throw new ApiError('garbage', `the API answered JSON that does not parse (${(err as Error).message.split('\n')[0]})`);
        }
        onItem(item, i);
      }) : undefined;
      const parts: string[] = [];
      let length = 0;
      let bytes = 0;
      let turn = false;
      res.on('data', (c: Buffer) => {
        try {
          bytes += c.length;
          if (bytes > limits.maxResponseBytes) throw new ApiError('too-large', `the answer is larger than ${formatBytes(limits.maxResponseBytes)} (--max-response-size)`, undefined, true);
          const text = decoder.write(c);
          if (stream) stream.write(text);
          else {
            parts.push(text);
            length += text.length;
          }
          if (!budget) return;
          const now = stream ? stream.held : length;
          const grew = now - held;
          held = now;
          budget.flight(grew);
          // Past its share, an answer reads on only in its turn: the others wait (their timers too).
          if (!turn && held > budget.share) {
            if (budget.claim(me, () => {
              turn = true;
              resumeTimer();
              res.resume();
            })) turn = true;
            else {
              res.pause();
              pauseTimer();
            }
          }
        } catch (err) {
          abort(err instanceof ListSyntaxError ? new ApiError('garbage', `the API answered ${err.message}`) : (err as Error));
        }
      });
      res.on('end', () => {
        try {
          const tail = decoder.end();
          if (stream) stream.write(tail);
          else parts.push(tail);
          let answer: Answer;
          if (stream && !stream.whole) answer = { status: res.statusCode ?? 0, headers: res.headers, fields: stream.end() };
          else {
            const all = stream?.whole ?? parts;
            // The text joined, then decoded by the caller: room for both beside what is held.
            budget?.check(2 * (stream ? stream.held : length));
            answer = { status: res.statusCode ?? 0, headers: res.headers, text: all.join('') };
          }
          done();
          resolve(answer);
        } catch (err) {
          fail(err instanceof ListSyntaxError ? new ApiError('garbage', `the API answered ${err.message}`) : (err as Error));
        }
      });
      res.on('error', (e) => fail(e));
    }
    /**
     * Ends the request with this error. The request is destroyed without it: a body read
     * whole may have freed its kept-alive socket already, which must not get the error.
     */
    const abort = (e: Error) => {
      fail(e);
      req.destroy();
    };
    const fail = (e: Error) => {
      done();
      if (e instanceof ApiError) return reject(e);
      // A text longer than V8's strings may be (over --max-response-size raised past 512 MiB).
      if (e instanceof RangeError) return reject(new ApiError('too-large', `the answer is larger than this runtime can hold in one text (${e.message})`, undefined, true));
      const code = (e as NodeJS.ErrnoException).code;
      // A kept-alive connection the server closed meanwhile: the request never reached it.
      if (!started && req.reusedSocket && code === 'ECONNRESET') return reject(new ApiError('stale', 'the server closed a kept-alive connection'));
      if (started && (code === 'ECONNRESET' || e.message === 'aborted')) return reject(new ApiError('network', 'the connection was reset before the answer was complete', undefined, true));
      reject(describeNetworkError(e as NodeJS.ErrnoException, ep.tls.servername ?? url.hostname));
    };
    // The request's own time runs while it is not waiting for its turn; the run deadline always.
    let left = limits.requestTimeoutMs;
    let armedAt = 0;
    let timer: NodeJS.Timeout;
    const arm = (ms: number) => {
      armedAt = Date.now();
      const byDeadline = deadline.left < ms;
      timer = setTimeout(() => {
        if (byDeadline) abort(new ApiError('deadline', `the run deadline of ${seconds(deadline.ms)} (--deadline) passed`));
        else abort(new ApiError('timeout', started ? `the answer was not complete within ${limits.requestTimeoutMs} ms (--request-timeout)` : `no answer within ${limits.requestTimeoutMs} ms`, undefined, started));
      }, Math.max(Math.min(ms, deadline.left), 0));
    };
    const pauseTimer = () => {
      clearTimeout(timer);
      left -= Date.now() - armedAt;
      arm(Infinity); // the deadline only
    };
    const resumeTimer = () => {
      clearTimeout(timer);
      arm(left);
    };
    arm(left);
    req.on('error', fail);
    req.end();
  }).catch((err: unknown) => {
    throw err instanceof ApiError ? err : new ApiError('tls', `cannot use the TLS material: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  });
}

const RETRY = new Set([429, 500, 502, 503, 504]);

/** When to try again: Retry-After (seconds or a date), else a short backoff. */
function retryDelay(headers: http.IncomingHttpHeaders, attempt: number): number {
  const h = headers['retry-after'];
  if (typeof h === 'string') {
    if (/^\d+$/.test(h.trim())) return Number(h) * 1000;
    const at = Date.parse(h);
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  }
  return 250 * 2 ** attempt;
}

/**
 * GET a path and parse its JSON (a list's elements go to body.onItem as they arrive, and
 * its other fields are returned). Never follows redirects; retries 429 and 5xx honouring
 * Retry-After while attempts and the deadline allow; every other status is an ApiError.
 */
export async function getJson(ep: Endpoint, path: string, limits: Limits, deadline: Deadline, body: BodyOptions = {}): Promise<unknown> {
  let secrets = secretsIn(ep, {});
  try {
    return await getJsonOnce(ep, path, limits, deadline, body, (headers) => (secrets = secretsIn(ep, headers)));
  } catch (err) {
    // svclint knows its credentials: none of them is ever printed, whatever the server echoes.
    if (err instanceof ApiError) throw new ApiError(err.kind, mask(err.message, secrets), err.status, err.answered);
    if (err instanceof Error) err.message = mask(err.message, secrets);
    throw err;
  }
}

async function getJsonOnce(ep: Endpoint, path: string, limits: Limits, deadline: Deadline, body: BodyOptions, seen: (headers: Record<string, string>) => void): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    if (deadline.left <= 0) throw new ApiError('deadline', `the run deadline of ${seconds(deadline.ms)} (--deadline) passed`);
    const auth = await ep.credentials(deadline);
    seen(auth.headers);
    const a = await once(ep, path, limits, deadline, auth, body).catch((err: unknown) => {
      if (err instanceof ApiError && err.kind === 'stale') return undefined;
      throw err;
    });
    if (!a) continue; // sent again on a new connection
    if (a.status >= 200 && a.status < 300) return a.fields ?? parseJson(a.text ?? '');
    if (RETRY.has(a.status) && attempt + 1 < limits.attempts) {
      const wait = retryDelay(a.headers, attempt);
      if (wait < deadline.left - 100) {
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
    }
    throw statusError(a, attempt + 1);
  }
}

function statusError(a: Answer, attempts: number): ApiError {
  if (a.status >= 300 && a.status < 400) {
    const to = typeof a.headers.location === 'string' ? ` to ${a.headers.location}` : '';
    return new ApiError('redirect', `the API answered ${a.status} (a redirect${to}), which svclint does not follow`, a.status);
  }
  let message = '';
  try {
    const status = JSON.parse(a.text ?? '') as { message?: unknown };
    if (typeof status?.message === 'string') message = status.message;
  } catch {
    // not a Status object
  }
  message = oneLine(message || a.text || http.STATUS_CODES[a.status] || '', 200);
  const tries = RETRY.has(a.status) && attempts > 1 ? ` after ${attempts} attempts` : '';
  return new ApiError('status', `${a.status} ${http.STATUS_CODES[a.status] ?? ''}${tries}${message ? `: ${message}` : ''}`.replace(/ +:/, ':'), a.status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const what = text.trim() === '' ? 'an empty answer' : text.trimStart().startsWith('<') ? 'HTML, not JSON' : `JSON that does not parse (${(err as Error).message.split('\n')[0]})`;
    throw new ApiError('garbage', `the API answered ${what}`);
  }
}

export function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function formatBytes(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  return `${n} bytes`;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
