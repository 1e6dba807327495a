import type { Path } from '../types/object.js';
import type { ContainerInfo, PodTemplate, PortResolution, ServiceGraph } from '../types/graph.js';
import type { ListenEvidence } from './listen.js';
import { mayRunEnvoy } from './envoy.js';
import { hubRepository, mountedFile } from './mounts.js';
import { getIn } from './pods.js';
import { isRecord } from '../load/objects.js';

/**
 * A server that listens on the pod's loopback interface only. The Service's traffic arrives at
 * the pod's IP, so it is refused; `kubectl port-forward` still reaches such a server, because it
 * connects from inside the pod's network namespace.
 */
export interface LoopbackBind {
  container: ContainerInfo;
  /** The address it binds: as written, or the program's default. */
  address: string;
  /** The port it listens on, when known. */
  port?: number;
  /** The words that say so, for messages. */
  text: string;
  /** Where they are written, inside the container. */
  path: Path;
  /**
   * `flag`: the command line names the loopback address; `env`: a variable the program reads
   * does; `default`: the program's own default, which nothing in the container changes;
   * `config`: the server's configuration file, mounted from a ConfigMap of the run.
   */
  kind: 'flag' | 'env' | 'default' | 'config';
  /** The program whose default or flag it is. */
  program?: string;
  /** What else could change the address, which the run cannot see (a configuration file in the image). */
  caveat?: string;
  /** For `config`: where the file comes from (`ConfigMap cache-config, key redis.conf`). */
  source?: string;
  /** A default that nothing outside the manifest can change (mongod's, run without the image's entrypoint). */
  certain?: boolean;
  /** For `config`: the working directory taken when the answer depends on the image's (ListenEvidence.assumed). */
  assumed?: string;
}

/** Loopback addresses: `localhost`, `127.0.0.0/8`, `::1`. */
export function isLoopbackHost(h: string): boolean {
  return /^(localhost|ip6-localhost|127(\.\d{1,3}){3}|\[?::1\]?|\[?0:0:0:0:0:0:0:1\]?)$/i.test(h);
}

/** `host:port`, `[v6]:port`, `scheme://host:port/`, `host`; undefined for a Unix socket or a value with a variable. */
export function splitAddress(v: string): { host: string; port?: number } | undefined {
  if (/\$|^unix:|^fd:\/\//i.test(v)) return undefined;
  const s = v.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
  const m = /^(\[[0-9a-f:.]*\]|[^:[\]]*)(?::(\d{1,5}))?$/i.exec(s);
  if (!m) return /^[0-9a-f:]+$/i.test(s) && s.includes('::') ? { host: s } : undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host: m[1]!, ...(port !== undefined ? { port } : {}) };
}

export interface Word {
  word: string;
  /** Where the word is written: the command or args item. */
  path: Path;
}

const SHELLS = /^(sh|bash|ash|dash|zsh|busybox)$/;
const base = (w: string): string => w.replace(/^.*\//, '');

/**
 * The command lines a container runs: its command and args as one line, or, for `sh -c
 * "script"`, each simple command of the script (split at `&&`, `||`, `;`, `|` and new lines),
 * with `$(VAR)` expanded from the container's literal env as the kubelet does.
 */
export function commandLines(c: Record<string, unknown>, env: Map<string, string>): Word[][] {
  const items: Word[] = [];
  for (const field of ['command', 'args'] as const) {
    const v = c[field];
    if (!Array.isArray(v)) continue;
    v.forEach((x, index) => {
      if (typeof x === 'string') items.push({ word: x.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n: string) => env.get(n) ?? m), path: [field, index] });
    });
  }
  if (items.length === 0) return [];
  const at = items.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w.word) && SHELLS.test(base(items[0]!.word)));
  if (at > 0 && items[at + 1]) {
    const script = items[at + 1]!;
    return script.word
      .replace(/\\\r?\n/g, ' ')
      .split(/&&|\|\||[;|&\n]/)
      .map((seg) => seg.trim().split(/\s+/).filter(Boolean).map((w) => ({ word: w.replace(/^["']|["']$/g, ''), path: script.path })))
      .filter((l) => l.length > 0);
  }
  return [items.flatMap((w) => (/\s/.test(w.word.trim()) ? w.word.trim().split(/\s+/).map((p) => ({ word: p.replace(/^["']|["']$/g, ''), path: w.path })) : [w]))];
}

/** A server program whose listening address is set by flags, with the default it falls back to. */
interface ServerProgram {
  name: string;
  /** Where the program starts in a command line: the index of its last word (`flask run`: `run`), or -1. */
  find(words: string[]): number;
  host: string;
  port: number;
  /** Flags whose value is the host to bind. */
  hostFlags?: string[];
  /** Flags whose value is the port. */
  portFlags?: string[];
  /** Flags whose value is `host:port` (may repeat: the server binds every one). */
  bindFlags?: string[];
  /** Flags that make it listen on every interface. */
  allFlags?: string[];
  /** The first plain number after the program is the port (`python -m http.server 8080`). */
  positionalPort?: boolean;
  /** Flags that make it listen on a socket instead of an address. */
  socketFlags?: string[];
  /** Flags that name a configuration file, which may set the address when the command line does not. */
  configFlags?: string[];
  /** Variables the program reads as its host (or `host:port` list for bindEnv). */
  hostEnv?: string[];
  portEnv?: string[];
  /** Variables that put the answer elsewhere (`GUNICORN_CMD_ARGS`), or make it listen on every interface (`PORT` for gunicorn). */
  elsewhereEnv?: string[];
  caveat?: string;
  /** Images whose own configuration changes the default (the Jupyter Docker Stacks set ServerApp.ip). */
  skipImages?: RegExp;
  /** Only in these images (where `find` knows the program by a subcommand its entrypoint runs). */
  onlyImages?: RegExp;
  /** Folders the program reads configuration files from: a volume mounted there may set the address. */
  configDirs?: RegExp;
  /** Files the program reads without a flag (gunicorn's `./gunicorn.conf.py`): mounted, they decide instead of the default (their own reader judges them). */
  defaultFiles?: RegExp;
  /** Judged only when the container's own `command` runs it (the image's entrypoint would add the address otherwise). */
  commandOnly?: boolean;
  /** Images whose arguments, when they start with a flag, are the program's own (the image's entrypoint puts the program before them). */
  argsImages?: RegExp;
}

/** Words that run the command after them: `exec`, `env A=b`, `poetry run`, `tini --`, `gosu user`. */
const WRAPPERS = new Set(['exec', 'bundle', 'npx', 'yarn', 'pnpm', 'dlx', 'bunx', 'env', 'nohup', 'time', 'dumb-init', 'tini', '--', 'opentelemetry-instrument', 'ddtrace-run', 'newrelic-admin', 'run-program', 'poetry', 'uv', 'pipenv', 'pdm', 'hatch', 'run']);

/** Where the program of a simple command starts, after the wrappers that run it. */
export function commandStart(words: string[]): number {
  let i = 0;
  while (i < words.length) {
    const w = base(words[i]!);
    if (WRAPPERS.has(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || (i > 0 && words[i]!.startsWith('-') && WRAPPERS.has(base(words[i - 1]!)))) i++;
    else if (w === 'gosu' || w === 'su-exec') i += 2;
    else break;
  }
  return i;
}

/** `NAME …`, `python -m NAME …` (`python3.12`), at the start of a simple command: the index of NAME, or -1. */
/** redis-server, or a fork that reads the same configuration (Valkey, KeyDB). */
const redisServer = (words: string[]): number => {
  for (const name of ['redis-server', 'valkey-server', 'keydb-server']) {
    const i = invoked(words, name);
    if (i >= 0) return i;
  }
  return -1;
};

const invoked = (words: string[], name: string): number => {
  const i = commandStart(words);
  // `npx http-server@14`: a package's version is not part of its name.
  const w = words[i] === undefined ? '' : base(words[i]!).replace(/(.)@[\w.^~-]*$/, '$1');
  if (w === name) return i;
  if (/^python[0-9.]*$/.test(w) && words[i + 1] === '-m' && words[i + 2] === name) return i + 2;
  return -1;
};
/** NAME followed (after its own options) by the subcommand SUB. */
const withSub = (name: string, subs: string[]) => (words: string[]): number => {
  const i = invoked(words, name);
  if (i < 0) return -1;
  for (let j = i + 1; j < words.length; j++) {
    if (subs.includes(words[j]!)) return j;
    if (!words[j]!.startsWith('-') && !words[j - 1]!.startsWith('-')) return -1;
  }
  return -1;
};

const PROGRAMS: ServerProgram[] = [
  // code-server's bind-addr is 127.0.0.1:8080 (src/node/cli.ts); its image's entrypoint adds
  // `--bind-addr 0.0.0.0:8080`, which a container's own command replaces.
  { name: 'code-server', find: (w) => invoked(w, 'code-server'), host: '127.0.0.1', port: 8080, bindFlags: ['--bind-addr'], hostFlags: ['--host'], portFlags: ['--port'], configFlags: ['--config'], elsewhereEnv: ['PORT'], commandOnly: true, caveat: 'unless its config.yaml sets bind-addr' },
  // memcached listens on every interface unless `-l`/`--listen` names addresses (its usage text: "default: INADDR_ANY").
  { name: 'memcached', find: (w) => invoked(w, 'memcached'), host: '0.0.0.0', port: 11211, hostFlags: ['-l', '--listen'], portFlags: ['-p', '--port'], argsImages: /(^|\/)(library\/)?memcached(:|@|$)/ },
  // `vault server -dev` serves on -dev-listen-address, 127.0.0.1:8200 by default (the official
  // image's entrypoint adds 0.0.0.0:8200 only when its first argument is `server`, not for a command that names vault).
  { name: 'vault server -dev', find: (w) => { const i = withSub('vault', ['server'])(w); return i >= 0 && w.slice(i + 1).some((x) => x === '-dev' || x === '--dev' || x === '-dev=true') ? i : -1; }, host: '127.0.0.1', port: 8200, bindFlags: ['-dev-listen-address', '--dev-listen-address'], elsewhereEnv: ['VAULT_DEV_LISTEN_ADDRESS'], caveat: 'its dev server listens on 127.0.0.1:8200 unless -dev-listen-address says otherwise' },
  // The control plane's servers serve HTTPS on `--secure-port` at `--bind-address` (0.0.0.0 by
  // default, k8s.io/apiserver's secure serving options); kubeadm writes 127.0.0.1 for the
  // scheduler and the controller manager, which a Service or a scrape on the pod's IP cannot reach.
  { name: 'kube-scheduler', find: (w) => invoked(w, 'kube-scheduler'), host: '0.0.0.0', port: 10259, hostFlags: ['--bind-address'], portFlags: ['--secure-port'] },
  { name: 'kube-controller-manager', find: (w) => invoked(w, 'kube-controller-manager'), host: '0.0.0.0', port: 10257, hostFlags: ['--bind-address'], portFlags: ['--secure-port'] },
  { name: 'kube-apiserver', find: (w) => invoked(w, 'kube-apiserver'), host: '0.0.0.0', port: 6443, hostFlags: ['--bind-address'], portFlags: ['--secure-port'] },
  {
    // `consul agent` serves its HTTP API (8500) and DNS on `client_addr`, 127.0.0.1 unless `-client`
    // or a configuration file says otherwise; the official image's entrypoint runs `consul agent …`
    // for an `agent` argument and adds `-client` only from CONSUL_CLIENT_INTERFACE, and reads
    // /consul/config and CONSUL_LOCAL_CONFIG.
    name: 'consul agent',
    find: (w) => { const i = withSub('consul', ['agent'])(w); if (i >= 0) return i; const j = commandStart(w); return w[j] === 'agent' ? j : -1; },
    onlyImages: /(^|\/)(hashicorp\/)?consul(:|@|$)/, skipImages: /bitnami\//,
    host: '127.0.0.1', port: 8500,
    hostFlags: ['-client', '--client'], portFlags: ['-http-port', '--http-port'],
    configFlags: ['-config-file', '--config-file', '-config-dir', '--config-dir', '-hcl', '--hcl'],
    elsewhereEnv: ['CONSUL_CLIENT_INTERFACE', 'CONSUL_LOCAL_CONFIG'], configDirs: /^\/consul\/config(\/|$)/,
    caveat: 'client_addr is 127.0.0.1 unless -client or a configuration file sets it',
  },
  {
    // etcd serves clients on `--listen-client-urls`, `http://localhost:2379` by default (its embed config).
    name: 'etcd', find: (w) => invoked(w, 'etcd'), host: 'localhost', port: 2379,
    bindFlags: ['--listen-client-urls'], configFlags: ['--config-file'], elsewhereEnv: ['ETCD_LISTEN_CLIENT_URLS', 'ETCD_CONFIG_FILE'],
    skipImages: /bitnami\/etcd/,
  },
  {
    name: 'uvicorn', find: (w) => invoked(w, 'uvicorn'), host: '127.0.0.1', port: 8000,
    hostFlags: ['--host'], portFlags: ['--port'], socketFlags: ['--uds', '--fd'],
    hostEnv: ['UVICORN_HOST'], portEnv: ['UVICORN_PORT'], elsewhereEnv: ['UVICORN_UDS', 'UVICORN_FD'],
    caveat: 'unless the image\'s ENV sets UVICORN_HOST',
  },
  {
    name: 'gunicorn', find: (w) => invoked(w, 'gunicorn'), host: '127.0.0.1', port: 8000,
    bindFlags: ['-b', '--bind'], configFlags: ['-c', '--config'],
    elsewhereEnv: ['PORT', 'GUNICORN_CMD_ARGS'], defaultFiles: /(^|\/)gunicorn\.conf\.py$/,
    caveat: 'unless a gunicorn.conf.py in its working directory binds another address',
  },
  {
    name: 'hypercorn', find: (w) => invoked(w, 'hypercorn'), host: '127.0.0.1', port: 8000,
    bindFlags: ['-b', '--bind'], configFlags: ['-c', '--config'],
  },
  {
    // Grafana Alloy serves its UI, metrics and readiness on --server.http.listen-addr,
    // 127.0.0.1:12345 by default (internal/alloycli/cmd_run.go); the image's CMD adds no address.
    name: 'alloy run', find: (w) => { const i = withSub('alloy', ['run'])(w); if (i >= 0) return i; return w[0] === 'run' ? 0 : -1; }, host: '127.0.0.1', port: 12345,
    bindFlags: ['--server.http.listen-addr'], onlyImages: /(^|\/)(grafana\/)?alloy(:|@|$)/,
  },
  {
    // WildFly's public interface is `jboss.bind.address`, 127.0.0.1 in its standalone.xml; the
    // image's CMD adds `-b 0.0.0.0`, which a container command of its own drops.
    name: 'standalone.sh', find: (w) => (w.some((x) => x.includes('jboss.bind.address') || x.startsWith('-b=') || /^-b\d/.test(x)) ? -1 : invoked(w, 'standalone.sh')), host: '127.0.0.1', port: 8080,
    hostFlags: ['-b', '--bind'], caveat: 'unless the image\'s standalone.xml binds the public interface elsewhere',
  },
  {
    // fastapi-cli: `fastapi dev` serves on 127.0.0.1:8000, `fastapi run` on 0.0.0.0:8000.
    name: 'fastapi dev', find: withSub('fastapi', ['dev']), host: '127.0.0.1', port: 8000,
    hostFlags: ['--host'], portFlags: ['--port'],
  },
  {
    name: 'fastapi run', find: withSub('fastapi', ['run']), host: '0.0.0.0', port: 8000,
    hostFlags: ['--host'], portFlags: ['--port'],
  },
  {
    // `gatsby develop` serves on localhost:8000 unless -H/--host (or GATSBY_HOST) and -p/--port (or PORT) say otherwise.
    name: 'gatsby develop', find: withSub('gatsby', ['develop']), host: 'localhost', port: 8000,
    hostFlags: ['--host', '-H'], portFlags: ['--port', '-p'], hostEnv: ['GATSBY_HOST'], portEnv: ['PORT'],
  },
  {
    name: 'flask run', find: withSub('flask', ['run']), host: '127.0.0.1', port: 5000,
    hostFlags: ['--host', '-h'], portFlags: ['--port', '-p'],
    hostEnv: ['FLASK_RUN_HOST'], portEnv: ['FLASK_RUN_PORT'],
    caveat: 'unless the image sets FLASK_RUN_HOST, in its ENV or a .flaskenv or .env file',
  },
  {
    // Streamlit listens on every interface unless server.address says otherwise.
    name: 'streamlit run', find: withSub('streamlit', ['run']), host: '0.0.0.0', port: 8501,
    hostFlags: ['--server.address'], portFlags: ['--server.port'],
    hostEnv: ['STREAMLIT_SERVER_ADDRESS'], portEnv: ['STREAMLIT_SERVER_PORT'],
    caveat: 'unless a .streamlit/config.toml in the image sets server.port or server.address',
  },
  {
    name: 'http-server', find: (w) => invoked(w, 'http-server'), host: '0.0.0.0', port: 8080,
    hostFlags: ['-a'], portFlags: ['-p', '--port'], portEnv: ['PORT'],
  },
  {
    name: 'kubectl proxy', find: withSub('kubectl', ['proxy']), host: '127.0.0.1', port: 8001,
    hostFlags: ['--address'], portFlags: ['--port', '-p'], socketFlags: ['--unix-socket', '-u'],
  },
  {
    name: 'hugo server', find: withSub('hugo', ['server', 'serve']), host: '127.0.0.1', port: 1313,
    hostFlags: ['--bind'], portFlags: ['--port', '-p'],
  },
  {
    name: 'mlflow', find: withSub('mlflow', ['server', 'ui']), host: '127.0.0.1', port: 5000,
    hostFlags: ['--host', '-h'], portFlags: ['--port', '-p'], configFlags: ['--env-file'],
    hostEnv: ['MLFLOW_HOST'], portEnv: ['MLFLOW_PORT'],
  },
  {
    name: 'tensorboard', find: (w) => invoked(w, 'tensorboard'), host: 'localhost', port: 6006,
    hostFlags: ['--host'], portFlags: ['--port'], allFlags: ['--bind_all'],
  },
  {
    name: 'http.server', find: (w) => invoked(w, 'http.server'), host: '0.0.0.0', port: 8000,
    hostFlags: ['--bind', '-b'], positionalPort: true,
  },
  {
    name: 'mkdocs serve', find: withSub('mkdocs', ['serve']), host: '127.0.0.1', port: 8000,
    bindFlags: ['--dev-addr', '-a'], configFlags: ['-f', '--config-file'],
    caveat: 'unless its mkdocs.yml sets dev_addr',
  },
  {
    // `vite preview` serves the built site on preview.port, 4173 (DEFAULT_PREVIEW_PORT), at
    // preview.host, else server.host, else localhost.
    name: 'vite preview', find: withSub('vite', ['preview']), host: 'localhost', port: 4173,
    hostFlags: ['--host'], portFlags: ['--port'], configFlags: ['--config', '-c'],
    caveat: 'unless its vite.config sets preview.host or server.host',
  },
  {
    name: 'vite', find: (w) => { const i = invoked(w, 'vite'); return i >= 0 && !['build', 'optimize', 'preview'].includes(w[i + 1] ?? '') ? i : -1; }, host: 'localhost', port: 5173,
    hostFlags: ['--host'], portFlags: ['--port'], configFlags: ['--config', '-c'],
    caveat: 'unless its vite.config sets server.host',
  },
  {
    name: 'ng serve', find: withSub('ng', ['serve', 's']), host: 'localhost', port: 4200,
    hostFlags: ['--host'], portFlags: ['--port'],
    caveat: 'unless angular.json sets the serve target\'s host',
  },
  {
    name: 'jekyll serve', find: withSub('jekyll', ['serve', 's', 'server']), host: '127.0.0.1', port: 4000,
    hostFlags: ['--host', '-H'], portFlags: ['--port', '-P'], configFlags: ['--config'],
    caveat: 'unless its _config.yml sets host',
  },
  {
    name: 'next', find: withSub('next', ['start', 'dev']), host: '0.0.0.0', port: 3000,
    hostFlags: ['--hostname', '-H'], portFlags: ['--port', '-p'],
  },
  {
    name: 'php -S', find: (w) => { const i = invoked(w, 'php'); return i >= 0 && w.slice(i + 1).some((x) => x === '-S' || x.startsWith('-S')) ? i : -1; }, host: '', port: 0,
    bindFlags: ['-S'],
  },
  {
    // Jupyter's ServerApp.ip is `localhost`; the Jupyter Docker Stacks images set 0.0.0.0 in their own configuration.
    name: 'jupyter', find: (w) => withSub('jupyter', ['lab', 'notebook', 'server'])(w), host: 'localhost', port: 8888,
    hostFlags: ['--ip', '--ServerApp.ip', '--NotebookApp.ip'], portFlags: ['--port', '--ServerApp.port', '--NotebookApp.port'], configFlags: ['--config'],
    caveat: 'unless a jupyter_server_config.py in the image sets ServerApp.ip',
    skipImages: /(^|\/)jupyter\/|jupyterhub/,
  },
  {
    // Laravel's `php artisan serve`: --host defaults to 127.0.0.1, --port to SERVER_PORT or 8000.
    name: 'php artisan serve', find: (w) => { const i = invoked(w, 'php'); return i >= 0 && /(^|\/)artisan$/.test(w[i + 1] ?? '') && w[i + 2] === 'serve' ? i + 2 : -1; }, host: '127.0.0.1', port: 8000,
    hostFlags: ['--host'], portFlags: ['--port'], portEnv: ['SERVER_PORT'],
  },
  {
    // `dotnet run` applies the launch profile of Properties/launchSettings.json, whose applicationUrl `dotnet new` writes with localhost.
    name: 'dotnet run', find: withSub('dotnet', ['run', 'watch']), host: 'localhost', port: 0,
    bindFlags: ['--urls'], socketFlags: ['--no-launch-profile'], configFlags: ['--launch-profile', '-lp'],
    caveat: 'with the launch profile of its launchSettings.json, which `dotnet new` writes with localhost URLs',
  },
  {
    // In development (rack's default environment) rackup binds localhost; in any other, every interface.
    name: 'rackup', find: (w) => invoked(w, 'rackup'), host: 'localhost', port: 9292,
    hostFlags: ['--host', '-o'], portFlags: ['--port', '-p'], configFlags: ['-E', '--env'],
    elsewhereEnv: ['RACK_ENV'],
    caveat: 'in the development environment, unless a config/puma.rb in the image binds another address',
  },
];

/** The value of each occurrence of a flag: `--host=x`, `--host x`, `-h x`. */
function flagValues(words: Word[], from: number, names: string[]): { value: string; at: Word; text: string }[] {
  const out: { value: string; at: Word; text: string }[] = [];
  for (let j = from; j < words.length; j++) {
    const w = words[j]!.word;
    for (const n of names) {
      if (w === n && words[j + 1] !== undefined) out.push({ value: words[j + 1]!.word, at: words[j]!, text: `${w} ${words[j + 1]!.word}` });
      else if (w.startsWith(`${n}=`)) out.push({ value: w.slice(n.length + 1), at: words[j]!, text: w });
    }
  }
  return out;
}

const has = (words: Word[], from: number, names: string[]): boolean =>
  words.slice(from).some((w) => names.some((n) => w.word === n || w.word.startsWith(`${n}=`)));

/** Django's `runserver [addrport]`: 127.0.0.1:8000 (::1 with `-6`) unless the address says otherwise. */
function django(words: Word[], env: Map<string, string>): Omit<LoopbackBind, 'container'> | undefined {
  const ws = words.map((w) => w.word);
  const start = commandStart(ws);
  const prog = ws[start] === undefined ? '' : base(ws[start]!);
  const at = /^python[0-9.]*$/.test(prog) ? start + 1 : start;
  if (!/^(manage\.py|django-admin)$/.test(base(ws[at] ?? ''))) return undefined;
  const i = ws.findIndex((w, j) => j > at && w === 'runserver');
  if (i < 0) return undefined;
  const six = ws.includes('-6') || ws.includes('--ipv6');
  let addrport: Word | undefined;
  for (let j = i + 1; j < words.length; j++) {
    const w = ws[j]!;
    if (/^(--settings|--pythonpath|-v|--verbosity)$/.test(w)) { j++; continue; }
    if (w.startsWith('-')) continue;
    addrport = words[j];
    break;
  }
  void env;
  const line = ws.join(' ');
  const text = line.length > 80 ? `${line.slice(0, 79)}…` : line;
  if (!addrport) return { address: six ? '::1' : '127.0.0.1', port: 8000, text, path: words[i]!.path, kind: 'default', program: 'manage.py runserver' };
  const v = addrport.word;
  if (/\$/.test(v)) return undefined;
  if (/^\d{1,5}$/.test(v)) return { address: six ? '::1' : '127.0.0.1', port: Number(v), text, path: addrport.path, kind: 'default', program: 'manage.py runserver' };
  const a = splitAddress(v);
  if (!a || !isLoopbackHost(a.host)) return undefined;
  return { address: a.host, ...(a.port !== undefined ? { port: a.port } : { port: 8000 }), text, path: addrport.path, kind: 'flag', program: 'manage.py runserver' };
}

/**
 * `rails server` (`rails s`, `bin/rails`, `bundle exec rails`): `-b`/`--binding`, else the
 * `BINDING` variable (and the older `HOST`), else `localhost` in the development environment
 * (`-e`, `RAILS_ENV`, `RACK_ENV`; development when none is set) and every interface in any other;
 * port `-p`, `PORT`, 3000 (railties' server command). An application's config/boot.rb or
 * config/puma.rb may bind another address: the default is a likelihood.
 */
function rails(words: Word[], env: Map<string, string>, named: Set<string>, envFrom: boolean): Omit<LoopbackBind, 'container'> | undefined {
  const ws = words.map((w) => w.word);
  const i = withSub('rails', ['server', 's'])(ws);
  if (i < 0) return undefined;
  const pf = flagValues(words, i + 1, ['-p', '--port']).pop();
  const port = pf ? (/^\d{1,5}$/.test(pf.value) ? Number(pf.value) : undefined) : named.has('PORT') ? (/^\d{1,5}$/.test(env.get('PORT') ?? '') ? Number(env.get('PORT')) : undefined) : 3000;
  const at = (p?: number) => (p !== undefined ? { port: p } : {});
  const b = flagValues(words, i + 1, ['-b', '--binding']).pop();
  if (b) return isLoopbackHost(b.value) ? { address: b.value, ...at(port), text: b.text, path: b.at.path, kind: 'flag', program: 'rails server' } : undefined;
  for (const name of ['BINDING', 'HOST']) if (named.has(name)) return undefined;
  const e = flagValues(words, i + 1, ['-e', '--environment']).pop()?.value ?? (named.has('RAILS_ENV') ? env.get('RAILS_ENV') ?? '?' : named.has('RACK_ENV') ? env.get('RACK_ENV') ?? '?' : undefined);
  if (e !== undefined && e !== 'development') return undefined;
  if (e === undefined && envFrom) return undefined;
  const line = ws.join(' ');
  return {
    address: 'localhost',
    ...at(port),
    text: line.length > 80 ? `${line.slice(0, 79)}…` : line,
    path: words[i]!.path,
    kind: 'default',
    program: 'rails server',
    caveat: e === undefined ? 'in the development environment, unless the image\'s ENV sets RAILS_ENV or its config/boot.rb binds another address' : 'unless its config/boot.rb or config/puma.rb binds another address',
  };
}

/** What a known server program on one command line binds, when that is loopback only. */
function programBind(raw: Record<string, unknown>, words: Word[], env: Map<string, string>, named: Set<string>, envFrom: boolean, accept: (host: string) => boolean = isLoopbackHost): Omit<LoopbackBind, 'container'> | undefined {
  const ws = words.map((w) => w.word);
  for (const p of PROGRAMS) {
    let i = p.find(ws);
    // `args: ["-l", "127.0.0.1"]` of the image itself: the flags start at the first word.
    if (i < 0 && p.argsImages && ws[0]?.startsWith('-') && !Array.isArray(raw.command) && typeof raw.image === 'string' && p.argsImages.test(raw.image)) i = -1;
    else if (i < 0) continue;
    if (p.skipImages && typeof raw.image === 'string' && p.skipImages.test(raw.image)) return undefined;
    if (p.commandOnly && !(Array.isArray(raw.command) && raw.command.some((w) => typeof w === 'string' && w.includes(p.name)))) continue;
    if (p.onlyImages && !(typeof raw.image === 'string' && p.onlyImages.test(raw.image))) continue;
    if (p.configDirs && (Array.isArray(raw.volumeMounts) ? raw.volumeMounts : []).some((m) => isRecord(m) && typeof m.mountPath === 'string' && p.configDirs!.test(m.mountPath))) return undefined;
    // A socket instead of an address; or every interface.
    if (p.socketFlags && has(words, i + 1, p.socketFlags)) return undefined;
    if (p.allFlags && has(words, i + 1, p.allFlags)) return undefined;
    const line = ws.join(' ');
    const whole = line.length > 80 ? `${line.slice(0, 79)}…` : line;
    // A host or bind flag whose value cannot be read (`vite --host` alone means every interface).
    for (const names of [p.hostFlags, p.bindFlags]) {
      if (names && has(words, i + 1, names) && flagValues(words, i + 1, names).every((v) => v.value.startsWith('-'))) return undefined;
    }
    const portOf = (): number | undefined => {
      if (p.positionalPort) {
        const valued = new Set([...(p.hostFlags ?? []), '-d', '--directory']);
        const at = ws.findIndex((w, j) => j > i && /^\d{1,5}$/.test(w) && !valued.has(ws[j - 1]!));
        if (at >= 0) return Number(ws[at]);
      }
      const pf = p.portFlags ? flagValues(words, i + 1, p.portFlags).pop() : undefined;
      if (pf) return /^\d{1,5}$/.test(pf.value) ? Number(pf.value) : undefined;
      const pe = p.portEnv?.find((n) => named.has(n));
      if (pe) return /^\d{1,5}$/.test(env.get(pe) ?? '') ? Number(env.get(pe)) : undefined;
      // 0: the port is the project's own choice (a launch profile's), not the program's.
      return p.port || undefined;
    };
    // The command line comes first: it beats variables and configuration files.
    if (p.bindFlags) {
      const binds = flagValues(words, i + 1, p.bindFlags);
      if (binds.length) {
        const tcp = binds.filter((b) => !/^unix:|^fd:\/\//.test(b.value));
        const parsed = tcp.map((b) => ({ b, a: splitAddress(b.value) }));
        if (tcp.length === 0 || parsed.some((x) => !x.a || !accept(x.a.host))) return undefined;
        const first = parsed[0]!;
        return { address: first.a!.host, port: first.a!.port ?? p.port, text: first.b.text, path: first.b.at.path, kind: 'flag', program: p.name };
      }
    }
    const hf = p.hostFlags ? flagValues(words, i + 1, p.hostFlags).pop() : undefined;
    if (hf) {
      if (!accept(hf.value.replace(/^["']|["']$/g, ''))) return undefined;
      const port = portOf();
      return { address: hf.value, ...(port !== undefined ? { port } : {}), text: hf.text, path: hf.at.path, kind: 'flag', program: p.name };
    }
    if (p.configFlags && has(words, i + 1, p.configFlags)) return undefined;
    if (p.elsewhereEnv?.some((n) => named.has(n))) return undefined;
    const envHost = p.hostEnv?.find((n) => named.has(n));
    if (envHost) {
      const v = env.get(envHost);
      if (v === undefined || !accept(v.trim())) return undefined;
      const port = portOf();
      const index = (Array.isArray(raw.env) ? raw.env : []).findIndex((e) => isRecord(e) && e.name === envHost);
      return { address: v.trim(), ...(port !== undefined ? { port } : {}), text: `env ${envHost}=${v}`, path: ['env', index, 'value'], kind: 'env', program: p.name };
    }
    if (envFrom && (p.hostEnv || p.elsewhereEnv)) return undefined;
    if (p.defaultFiles && (Array.isArray(raw.volumeMounts) ? raw.volumeMounts : []).some((m) => isRecord(m) && typeof m.mountPath === 'string' && (p.defaultFiles!.test(m.mountPath) || m.mountPath.replace(/\/+$/, '') === (typeof raw.workingDir === 'string' ? raw.workingDir.replace(/\/+$/, '') : undefined)))) return undefined;
    // A program that listens on every interface unless told otherwise.
    if (!accept(p.host)) return undefined;
    const port = portOf();
    // (i is -1 where the image's own arguments are the program's flags: the first of them.)
    return { address: p.host, ...(port !== undefined ? { port } : {}), text: whole, path: words[Math.max(i, 0)]!.path, kind: 'default', program: p.name, ...(p.caveat ? { caveat: p.caveat } : {}) };
  }
  return accept === isLoopbackHost ? django(words, env) ?? rails(words, env, named, envFrom) : undefined;
}

/**
 * The port a known server program on the container's command line listens on: from its port or
 * bind flag, its port variable, else its own default (`uvicorn main:app --host 0.0.0.0` listens
 * on 8000, `flask run` on 5000). Undefined where the command line does not show it (a socket, a
 * configuration file, a variable that moves it elsewhere).
 */
export function programListen(raw: Record<string, unknown>): { port: number; text: string; path: Path; program: string; fromDefault: boolean } | undefined {
  if (!Array.isArray(raw.command) && !Array.isArray(raw.args)) return undefined;
  const { env, named, envFrom } = envOf(raw);
  // A script that runs several commands may run several servers (one behind another).
  const lines = commandLines(raw, env);
  if (lines.length !== 1) return undefined;
  for (const line of lines) {
    const b = programBind(raw, line, env, named, envFrom, () => true);
    if (!b || !b.port || !b.program) continue;
    const p = PROGRAMS.find((x) => x.name === b.program);
    // A port that no flag or variable names is the program's own default.
    const fromDefault = b.kind === 'default' || (p !== undefined && b.port === p.port && !line.some((w) => String(b.port) === w.word || w.word.endsWith(`:${b.port}`) || w.word.endsWith(`=${b.port}`)) && !(p.portEnv ?? []).some((n) => named.has(n)));
    return { port: b.port, text: b.text, path: b.path, program: b.program, fromDefault };
  }
  return undefined;
}

/** Flags of any program whose value is the address it listens on. */
const LISTEN_FLAG = /^--?((?:[a-z0-9]+[-_.])*(?:bind|listen)(?:[-_.]?(?:addr|address))?|(?:[a-z0-9]+[-_.])*(?:bind|listen)[-_.]address|addr|address|http-address|http-addr|web\.listen-address|secure-listen-address)$/i;
/** Flag names that name another server's address, not the program's own. */
const CLIENT_FLAG = /upstream|backend|target|remote|connect|dial|proxy-to|forward|server-addr|db|redis|mysql|postgres|kafka|nats|etcd|master|peer|join|advertise|external|public/i;

/** The literal env of a container, the names it sets in any way, and whether it has envFrom. */
export function envOf(c: Record<string, unknown>): { env: Map<string, string>; named: Set<string>; envFrom: boolean } {
  const env = new Map<string, string>();
  const named = new Set<string>();
  for (const e of Array.isArray(c.env) ? c.env : []) {
    if (!isRecord(e) || typeof e.name !== 'string') continue;
    named.add(e.name);
    if (typeof e.value === 'string') env.set(e.name, e.value);
  }
  return { env, named, envFrom: Array.isArray(c.envFrom) && c.envFrom.length > 0 };
}

/** Every command-line flag in a container that binds a loopback `host:port`. */
export function loopbackFlags(c: Record<string, unknown>): { host: string; port: number; text: string; path: Path }[] {
  return addressFlags(c, isLoopbackHost);
}

/** Every command-line flag in a container that binds a `host:port` whose host `accept` takes. */
function addressFlags(c: Record<string, unknown>, accept: (host: string) => boolean): { host: string; port: number; text: string; path: Path }[] {
  const { env } = envOf(c);
  const out: { host: string; port: number; text: string; path: Path }[] = [];
  for (const line of commandLines(c, env)) {
    line.forEach((w, j) => {
      const m = /^(--?[A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/.exec(w.word);
      if (!m || CLIENT_FLAG.test(m[1]!)) return;
      const listenFlag = LISTEN_FLAG.test(m[1]!);
      // Only a flag of the listening kind, or one whose value is the IPv4 wildcard (`--http=0.0.0.0:8081`): no client dials 0.0.0.0.
      if (!listenFlag && !(m[2] !== undefined && m[2].startsWith('0.0.0.0:'))) return;
      const value = m[2] ?? line[j + 1]?.word;
      if (value === undefined) return;
      const a = splitAddress(value);
      if (a?.port !== undefined && accept(a.host)) out.push({ host: a.host, port: a.port, text: m[2] !== undefined ? w.word : `${w.word} ${value}`, path: w.path });
    });
  }
  return out;
}

/** The IPv4 wildcard: a server bound there takes no IPv6 connection (Linux keeps the families apart). */
export const isIPv4Any = (h: string): boolean => h === '0.0.0.0';

/**
 * Whether the target port of a resolution is bound to `0.0.0.0` only, which takes IPv4
 * connections and no IPv6 ones: by a `--listen-address`-style flag of a container of the pod
 * (`0.0.0.0:<target>`), or by the serving container's program told so (`uvicorn --host
 * 0.0.0.0`, `gunicorn -b 0.0.0.0:8000`).
 */
export function ipv4OnlyListener(r: PortResolution): LoopbackBind | undefined {
  const target = r.targetPort;
  if (target === undefined) return undefined;
  const flag = podAddressFlag(r, target, isIPv4Any);
  if (flag) return flag;
  const serving = servingRaw(r, target);
  if (!serving) return undefined;
  const { c, raw } = serving;
  const { env, named, envFrom } = envOf(raw);
  for (const line of commandLines(raw, env)) {
    const b = programBind(raw, line, env, named, envFrom, isIPv4Any);
    // Only what the container says (a flag or a variable), and on the target port.
    if (b && b.kind !== 'default' && (b.port === undefined || b.port === target)) return { container: c, ...b };
  }
  return undefined;
}

/** Variables servers read as the address they bind. */
const ADDRESS_ENV = new Set(['HOST', 'BIND_ADDRESS', 'BIND_HOST', 'LISTEN_ADDRESS', 'LISTEN_HOST', 'SERVER_ADDRESS', 'NUXT_HOST', 'NITRO_HOST', 'QUARKUS_HTTP_HOST', 'MICRONAUT_SERVER_HOST', 'GRADIO_SERVER_NAME', 'GF_SERVER_HTTP_ADDR', 'KC_HTTP_HOST']);

/** ASP.NET Core's `ASPNETCORE_URLS` (Kestrel binds exactly those URLs) when every one is loopback. */
function aspnetLoopback(env: Map<string, string>): { host: string; port?: number; text: string } | undefined {
  const v = env.get('ASPNETCORE_URLS');
  if (v === undefined) return undefined;
  const urls = v.split(/[;,]/).map((s) => s.trim()).filter(Boolean);
  const parsed = urls.map(splitAddress);
  if (parsed.length === 0 || parsed.some((a) => !a || !isLoopbackHost(a.host))) return undefined;
  return { host: parsed[0]!.host, ...(parsed[0]!.port !== undefined ? { port: parsed[0]!.port } : {}), text: `env ASPNETCORE_URLS=${v}` };
}

/** Server images whose own variable sets the address they listen on (`host[:port]`), with their port. */
const IMAGE_ADDRESS_ENV: Record<string, { env: string; port: number; program: string }> = Object.assign(Object.create(null) as Record<string, { env: string; port: number; program: string }>, {
  'ollama/ollama': { env: 'OLLAMA_HOST', port: 11434, program: 'Ollama' },
});

const IMAGE_ADDRESS_ENV_NAMES = new Set(Object.values(IMAGE_ADDRESS_ENV).map((x) => x.env));

/** The loopback-only listener of one container, if its command line, env or program default says so. */
export function containerLoopback(container: ContainerInfo, raw: Record<string, unknown>): Omit<LoopbackBind, 'container'> | undefined {
  const { env, named, envFrom } = envOf(raw);
  const mongod = mongodLoopback(container, raw);
  if (mongod) return mongod;
  for (const line of commandLines(raw, env)) {
    const b = programBind(raw, line, env, named, envFrom);
    if (b) return b;
  }
  const envs = Array.isArray(raw.env) ? raw.env : [];
  const kafka = kafkaListeners(raw, 'listeners');
  if (kafka?.length && kafka.every((l) => isLoopbackHost(l.host))) {
    return { address: kafka[0]!.host, port: kafka[0]!.port, text: kafka[0]!.text, path: kafka[0]!.path, kind: 'env', program: 'Kafka' };
  }
  // Variables that frameworks read as the address to bind (Spring's server.address, Nuxt,
  // Quarkus, Micronaut, and the plain HOST of many Node servers), when nothing on the command line names one.
  const said = commandLines(raw, env).some((line) => line.some((w) => /^--?[A-Za-z][A-Za-z0-9_.-]*(=|$)/.test(w.word) && /host|bind|listen|addr|address/i.test(w.word.replace(/=.*$/, ''))));
  if (!said) {
    const index = envs.findIndex((e) => isRecord(e) && typeof e.name === 'string' && ADDRESS_ENV.has(e.name) && typeof e.value === 'string' && isLoopbackHost(e.value.trim()));
    if (index >= 0) {
      const e = envs[index] as { name: string; value: string };
      return { address: e.value.trim(), text: `env ${e.name}=${e.value}`, path: ['env', index, 'value'], kind: 'env' };
    }
  }
  // A server image's own variable for its address (`OLLAMA_HOST=127.0.0.1:11434`).
  const own = IMAGE_ADDRESS_ENV[hubRepository(typeof raw.image === 'string' ? raw.image : undefined) ?? ''];
  if (own) {
    const index = envs.findIndex((e) => isRecord(e) && e.name === own.env && typeof e.value === 'string');
    const value = index >= 0 ? ((envs[index] as { value: string }).value).trim() : undefined;
    const a = value ? splitAddress(value.replace(/^https?:\/\//, '')) : undefined;
    if (a && isLoopbackHost(a.host)) return { address: a.host, port: a.port ?? own.port, text: `env ${own.env}=${value}`, path: ['env', index, 'value'], kind: 'env', program: own.program };
  }
  const asp = aspnetLoopback(env);
  if (asp) {
    const index = envs.findIndex((e) => isRecord(e) && e.name === 'ASPNETCORE_URLS');
    return { address: asp.host, ...(asp.port !== undefined ? { port: asp.port } : {}), text: asp.text, path: ['env', index, 'value'], kind: 'env', program: 'ASP.NET Core' };
  }
  return undefined;
}

/** The container a resolved Service port reaches: the one that declares the target, else the pod's only main container. */
export function servingContainer(r: PortResolution): ContainerInfo | undefined {
  const main = r.template.containers.filter((c) => !c.sidecar);
  return r.container ?? (main.length === 1 ? main[0] : undefined);
}

/**
 * A listen flag (`--*-bind-address`, `--listen-address`) of any container of the pod (they
 * share one network namespace) that binds the target port on a host `accept` takes.
 */
function podAddressFlag(r: PortResolution, target: number, accept: (host: string) => boolean): LoopbackBind | undefined {
  const t = r.template;
  for (const c of t.containers) {
    const raw = getIn(t.owner.body, c.path);
    if (!isRecord(raw)) continue;
    const f = addressFlags(raw, accept).find((x) => x.port === target);
    if (f) return { container: c, address: f.host, port: f.port, text: f.text, path: f.path, kind: 'flag' };
  }
  return undefined;
}

/** The container that serves the target port and its spec; none when another container of the pod declares that port. */
function servingRaw(r: PortResolution, target: number): { c: ContainerInfo; raw: Record<string, unknown> } | undefined {
  const c = servingContainer(r);
  const t = r.template;
  if (!c || t.containers.some((o) => o !== c && o.ports.some((p) => p.containerPort === target))) return undefined;
  const raw = getIn(t.owner.body, c.path);
  return isRecord(raw) ? { c, raw } : undefined;
}

/**
 * Whether the target port of a resolution is bound on loopback only: by a `--*-bind-address`,
 * `--listen-address`-style flag of any container of the pod naming `127.0.0.1:<target>` (the
 * pod's containers share one network namespace), or by the serving container's own program
 * (uvicorn, gunicorn, flask run, manage.py runserver, kubectl proxy…), its flags, the variables
 * it reads, or its default address.
 */
export function loopbackListener(r: PortResolution, graph?: ServiceGraph): LoopbackBind | undefined {
  const target = r.targetPort;
  if (target === undefined) return undefined;
  const flag = podAddressFlag(r, target, isLoopbackHost);
  if (flag) return flag;
  const serving = servingRaw(r, target);
  if (!serving) return undefined;
  const { c, raw } = serving;
  const t = r.template;
  const redis = graph ? redisConfig(graph, t, raw) : undefined;
  if (redis?.binds && redis.port === target && redis.binds.every(isLoopbackHost)) {
    return { container: c, address: redis.binds[0]!, port: redis.port, text: redis.bindText!, source: `ConfigMap ${redis.configMap}, key ${redis.key}`, path: ['volumeMounts', redis.at], kind: 'config', program: 'redis-server' };
  }
  const hap = graph ? haproxyConfig(graph, t, c, raw) : undefined;
  const onTarget = hap?.binds.filter((b) => b.port === target) ?? [];
  if (hap && onTarget.length && onTarget.every((b) => b.host !== undefined && isLoopbackHost(b.host))) {
    return { container: c, address: onTarget[0]!.host!, port: target, text: `bind ${onTarget[0]!.host!.includes(':') ? `[${onTarget[0]!.host}]` : onTarget[0]!.host}:${target}`, source: hap.source, path: hap.path, kind: 'config', program: 'HAProxy' };
  }
  const pg = graph ? postgresConfig(graph, t, c, raw) : undefined;
  if (pg && pg.port === target && pg.addresses.length > 0 && pg.addresses.every(isLoopbackHost)) {
    return { container: c, address: pg.addresses[0]!, port: pg.port, text: pg.text, ...(pg.source ? { source: pg.source } : {}), path: pg.path, kind: pg.kind, program: 'PostgreSQL' };
  }
  const b = containerLoopback(c, raw);
  if (!b) return undefined;
  // A listener on another port says nothing of the target: another server of the container may serve it.
  if (b.port !== undefined && b.port !== target) return undefined;
  return { container: c, ...b };
}

/**
 * A Service port's target that the serving container's own configuration, as `read` finds it
 * (Spring Boot's config data, Elasticsearch's `elasticsearch.yml`), binds on loopback only; not
 * when another container of the pod declares the target.
 */
export function servingLoopback(r: PortResolution, graph: ServiceGraph, read: (graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target: number) => Omit<LoopbackBind, 'container'> | undefined): LoopbackBind | undefined {
  const target = r.targetPort;
  const serving = target === undefined ? undefined : servingRaw(r, target);
  if (!serving) return undefined;
  const { c, raw } = serving;
  const b = read(graph, r.template, raw, target!);
  return b ? { container: c, ...b } : undefined;
}

/** Whether a resolution's pod says anything that could bind loopback (cheap: most say nothing). */
export function mayBindLoopback(r: PortResolution): boolean {
  const t = r.template;
  return t.containers.some((c) => {
    const raw = getIn(t.owner.body, c.path);
    // An appsettings.json mounted into an ASP.NET Core app's content root may name Kestrel's
    // endpoints; pool files mounted over php-fpm.d say where php-fpm listens.
    if (isRecord(raw) && Array.isArray(raw.volumeMounts) && raw.volumeMounts.some((m) => isRecord(m) && typeof m.mountPath === 'string' && (/\/appsettings(\.[\w-]+)?\.json$/i.test(m.mountPath) || /^\/usr\/local\/etc\/php-fpm\.d\/?$/.test(m.mountPath)))) return true;
    return isRecord(raw) && (Array.isArray(raw.command) || Array.isArray(raw.args) || mayRunEnvoy(raw) || (typeof raw.image === 'string' && ((/tomcat|jaegertracing\/|timberio\//.test(raw.image) && /^(tomcat|jaegertracing\/(all-in-one|jaeger-collector|jaeger)|timberio\/vector)$/.test(hubRepository(raw.image) ?? '')) || /(^|\/)fluent\/fluent-bit(:|@|$)/.test(raw.image))) || (Array.isArray(raw.env) && raw.env.some((e) => isRecord(e) && typeof e.name === 'string' && (e.name === 'ASPNETCORE_URLS' || ADDRESS_ENV.has(e.name) || IMAGE_ADDRESS_ENV_NAMES.has(e.name) || /^KAFKA_(CFG_)?(ADVERTISED_)?LISTENERS$/.test(e.name)))));
  });
}

/**
 * `kubectl proxy` told to listen beyond loopback that still filters requests by their Host
 * header: its default `--accept-hosts` (`^localhost$,^127\.0\.0\.1$,^\[::1\]$`) answers 403
 * to any request that names the Service or the pod, so it works only from inside the pod.
 */
export function proxyFiltersHosts(raw: Record<string, unknown>): { port: number; text: string; path: Path } | undefined {
  const { env } = envOf(raw);
  for (const words of commandLines(raw, env)) {
    const ws = words.map((w) => w.word);
    const i = withSub('kubectl', ['proxy'])(ws);
    if (i < 0) continue;
    if (has(words, i + 1, ['--accept-hosts', '--disable-filter', '--unix-socket', '-u'])) return undefined;
    const a = flagValues(words, i + 1, ['--address']).pop();
    if (!a || /\$/.test(a.value) || isLoopbackHost(a.value)) return undefined;
    const p = flagValues(words, i + 1, ['--port', '-p']).pop();
    if (p && !/^\d{1,5}$/.test(p.value)) return undefined;
    return { port: p ? Number(p.value) : 8001, text: a.text, path: a.at.path };
  }
  return undefined;
}

/**
 * Where `redis-server <file> [--directive value…]` listens, when the file comes from a
 * ConfigMap of the run: its last `port` (6379 when none) and `bind` directives, with the
 * command line's `--port`/`--bind` after them, as Redis appends its arguments to the file.
 * Undefined without such a file, with `include`, or with `port 0` (no TCP listener).
 */
export function redisConfig(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { port: number; binds?: string[]; bindText?: string; protectedText?: string; key: string; configMap: string; at: number } | undefined {
  const { env } = envOf(raw);
  for (const words of commandLines(raw, env)) {
    const ws = words.map((w) => w.word);
    const i = redisServer(ws);
    if (i < 0) continue;
    const file = ws[i + 1];
    if (file === undefined || file.startsWith('-') || !file.startsWith('/')) return undefined;
    const found = mountedFile(graph, t, raw, file);
    if (!found) return undefined;
    const extra: string[] = [];
    for (const w of ws.slice(i + 2)) {
      if (w.startsWith('--')) extra.push(w.slice(2));
      else if (extra.length) extra[extra.length - 1] += ` ${w}`;
    }
    const parsed = redisListen(found.text, extra);
    if (!parsed) return undefined;
    const { port, binds, bindText, protectedText } = parsed;
    if (port === 0 || port > 65535) return undefined;
    return { port, ...(binds ? { binds, bindText: bindText! } : {}), ...(protectedText ? { protectedText } : {}), key: found.key, configMap: found.configMap, at: found.at };
  }
  return undefined;
}

/**
 * @internal Where Redis listens by its configuration text and the directives of its command
 * line (`port 6380`, each argument `--port 6380` given as `port 6380`), which it reads after
 * the file: the last `port` (6379 when none) and the last `bind` (undefined: every interface).
 * Undefined when an `include` brings in what is not read here, or a port is not a number.
 */
export function redisListen(text: string, extra: string[] = []): { port: number; binds?: string[]; bindText?: string; protectedText?: string } | undefined {
  let port = 6379;
  let binds: string[] | undefined;
  let bindText: string | undefined;
  let protectedText: string | undefined;
  // Whether the default user may be asked for a password. `requirepass` sets its password as the
  // configuration is read; `user default` lines are applied after the whole configuration, each
  // on a reset user (ACLLoadConfiguredUsers: `reset`, then its rules), so the last one decides,
  // whatever `requirepass` said; users from an ACL file the run does not read are unknown.
  // Protected mode turns away exactly the clients of a default user with `nopass`.
  let password = false;
  let defaultUserNopass: boolean | undefined;
  let aclFile = false;
  for (const line of [...text.split(/\r?\n/), ...extra]) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    const parts = l.split(/\s+/).map((x) => x.replace(/^["']|["']$/g, ''));
    const d = parts[0]!.toLowerCase();
    if (d === 'include') return undefined;
    if (d === 'port') {
      if (!/^\d{1,5}$/.test(parts[1] ?? '')) return undefined;
      port = Number(parts[1]);
    } else if (d === 'bind' && parts.length > 1) {
      // `-::1`: an address that may be missing.
      binds = parts.slice(1).map((a) => a.replace(/^-/, ''));
      bindText = l;
    } else if (d === 'protected-mode') protectedText = (parts[1] ?? '').toLowerCase() === 'yes' ? l : undefined;
    else if (d === 'requirepass') password = (parts[1] ?? '') !== '';
    else if (d === 'aclfile') aclFile = true;
    else if (d === 'user' && parts[1] === 'default') {
      // After `reset`: no password and no `nopass`; `nopass` sets it, a password (`>`, `#`) or `resetpass` clears it.
      defaultUserNopass = false;
      for (const rule of parts.slice(2)) {
        const r = rule.toLowerCase();
        if (r === 'nopass') defaultUserNopass = true;
        else if (r === 'resetpass' || r === 'reset' || /^[>#]/.test(rule)) defaultUserNopass = false;
      }
    }
  }
  const nopass = !aclFile && (defaultUserNopass ?? !password);
  return { port, ...(binds ? { binds, bindText: bindText! } : {}), ...(protectedText !== undefined && nopass ? { protectedText } : {}) };
}

/**
 * A redis-server whose configuration file (from the run) turns protected mode on while the
 * default user has no password: it answers every connection from outside the pod with
 * `-DENIED Redis is running in protected mode` (networking.c). Redis 7 does so whatever
 * `bind` says; Redis 6 only without a `bind` directive. The official image compiles protected
 * mode off, so only the file's `protected-mode yes` turns it on.
 */
export function redisProtected(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { port: number; text: string; key: string; configMap: string; at: number } | undefined {
  const r = redisConfig(graph, t, raw);
  if (!r?.protectedText) return undefined;
  if (r.binds) {
    // Which Redis the image runs decides whether a `bind` line lifts protected mode.
    const tag = typeof raw.image === 'string' ? /:(v?)(\d+)[^:/@]*(@.*)?$/.exec(raw.image) : null;
    if (!tag || Number(tag[2]) < 7) return undefined;
  }
  return { port: r.port, text: r.protectedText, key: r.key, configMap: r.configMap, at: r.at };
}

/**
 * A redis-server in cluster mode (`cluster-enabled yes` in its configuration file from the run,
 * or `--cluster-enabled yes` on its command line): its client port, and the cluster bus port
 * its nodes gossip on (`cluster-port`, else the client port + 10000).
 */
export function redisCluster(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { port: number; bus: number; text: string; path: Path } | undefined {
  const { env } = envOf(raw);
  for (const words of commandLines(raw, env)) {
    const ws = words.map((w) => w.word);
    const i = redisServer(ws);
    if (i < 0) continue;
    const file = ws[i + 1] !== undefined && ws[i + 1]!.startsWith('/') ? ws[i + 1]! : undefined;
    const found = file ? mountedFile(graph, t, raw, file) : undefined;
    if (file && !found) return undefined;
    const lines: { line: string; path: Path }[] = (found ? found.text.split(/\r?\n/) : []).map((line) => ({ line, path: ['volumeMounts', found!.at] }));
    for (let k = i + (file ? 2 : 1); k < ws.length; k++) {
      if (ws[k]!.startsWith('--')) lines.push({ line: ws[k]!.slice(2), path: words[k]!.path });
      else if (lines.length) lines[lines.length - 1]!.line += ` ${ws[k]}`;
    }
    let port = 6379;
    let bus: number | undefined;
    let cluster: { text: string; path: Path } | undefined;
    for (const { line, path } of lines) {
      const parts = line.trim().split(/\s+/).map((x) => x.replace(/^["']|["']$/g, ''));
      const d = (parts[0] ?? '').toLowerCase();
      if (d === 'include' || /\$/.test(line)) return undefined;
      if (d === 'port' && /^\d{1,5}$/.test(parts[1] ?? '')) port = Number(parts[1]);
      else if (d === 'cluster-port' && /^\d{1,5}$/.test(parts[1] ?? '')) bus = Number(parts[1]);
      else if (d === 'cluster-enabled') cluster = (parts[1] ?? '').toLowerCase() === 'yes' ? { text: line.trim(), path } : undefined;
    }
    if (!cluster || port === 0) return undefined;
    const b = bus !== undefined && bus !== 0 ? bus : port + 10000;
    return b > 65535 ? undefined : { port, bus: b, ...cluster };
  }
  return undefined;
}

/** Where a redis-server with a configuration file from the run listens, as evidence for target-port-not-listening. */
export function redisListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const r = redisConfig(graph, t, raw);
  if (!r) return undefined;
  return { ports: [r.port], evidence: { port: r.port, text: `port ${r.port} in ConfigMap ${r.configMap}, key ${r.key}`, path: ['volumeMounts', r.at], kind: 'config', program: 'Redis' } };
}

/**
 * @internal Where PostgreSQL listens: its compiled defaults (`listen_addresses = 'localhost'`,
 * port 5432), then `PGPORT`, then the configuration file, then the command line (`-c
 * name=value`, `--name=value`, `-h`, `-p`), as the server ranks them. `addresses` is the list
 * as written (`*` for every interface, empty for none). Undefined when the file includes others.
 */
export function postgresListen(text: string | undefined, flags: [string, string][], pgport?: string): { port: number; addresses: string[]; addressFrom: 'default' | 'file' | 'flag'; portFrom: 'default' | 'env' | 'file' | 'flag' } | undefined {
  let port = 5432;
  let portFrom: 'default' | 'env' | 'file' | 'flag' = 'default';
  let addresses = 'localhost';
  let addressFrom: 'default' | 'file' | 'flag' = 'default';
  const setPort = (v: string, from: typeof portFrom): boolean => {
    if (!/^\d{1,5}$/.test(v.trim())) return false;
    port = Number(v.trim());
    portFrom = from;
    return true;
  };
  if (pgport !== undefined && !setPort(pgport, 'env')) return undefined;
  for (const raw of (text ?? '').split(/\r?\n/)) {
    // `name = value`, `name value`; a value may be quoted; `#` outside quotes starts a comment.
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=?\s*('(?:[^'\\]|\\.|'')*'|[^\s#]*)/.exec(raw);
    if (!m || raw.trim().startsWith('#')) continue;
    const name = m[1]!.toLowerCase();
    const value = m[2]!.startsWith("'") ? m[2]!.slice(1, -1).replace(/''/g, "'") : m[2]!;
    if (name === 'include' || name === 'include_dir' || name === 'include_if_exists') return undefined;
    if (name === 'port' && !setPort(value, 'file')) return undefined;
    if (name === 'listen_addresses') {
      addresses = value;
      addressFrom = 'file';
    }
  }
  for (const [name, value] of flags) {
    if (name === 'port' && !setPort(value, 'flag')) return undefined;
    if (name === 'listen_addresses') {
      addresses = value;
      addressFrom = 'flag';
    }
  }
  return { port, addresses: addresses.split(',').map((a) => a.trim()).filter(Boolean), addressFrom, portFrom };
}

/**
 * The settings a container gives PostgreSQL on its command line (`-c name=value`,
 * `--name=value`, `-h`, `-p`): `postgres` on its command line, or the official image
 * (`postgres`, from Docker Hub) given only flags, which its entrypoint passes to `postgres`.
 * Undefined when no PostgreSQL is started that way, or when a value is a variable.
 */
function postgresFlags(c: ContainerInfo, raw: Record<string, unknown>): { flags: [string, string][]; at: Record<string, Word>; env: Map<string, string> } | undefined {
  const { env } = envOf(raw);
  let words: Word[] | undefined;
  let start = -1;
  for (const line of commandLines(raw, env)) {
    const i = invoked(line.map((w) => w.word), 'postgres');
    if (i >= 0) {
      words = line;
      start = i + 1;
      break;
    }
  }
  if (!words && !Array.isArray(raw.command) && Array.isArray(raw.args) && /^(docker\.io\/)?(library\/)?postgres(:[^/]*)?(@.*)?$/.test(c.image ?? '')) {
    const line = commandLines(raw, env)[0];
    if (line?.[0]?.word.startsWith('-')) {
      words = line;
      start = 0;
    }
  }
  if (!words) return undefined;
  const flags: [string, string][] = [];
  const at: Record<string, Word> = {};
  for (let j = start; j < words.length; j++) {
    const w = words[j]!.word;
    let name: string | undefined;
    let value: string | undefined;
    if ((w === '-c' || w === '-h' || w === '-p') && words[j + 1]) {
      const v = words[++j]!.word;
      if (w === '-c') [name, value] = [v.split('=')[0]!, v.slice(v.indexOf('=') + 1)];
      else [name, value] = [w === '-h' ? 'listen_addresses' : 'port', v];
    } else if (/^--[a-z_-]+=/.test(w)) [name, value] = [w.slice(2, w.indexOf('=')), w.slice(w.indexOf('=') + 1)];
    if (name === undefined || value === undefined) continue;
    name = name.replace(/-/g, '_').toLowerCase();
    if (/\$/.test(value)) return undefined;
    flags.push([name, value]);
    at[name] = words[j]!;
  }
  return { flags, at, env };
}

/**
 * PostgreSQL's own settings in a container: `postgres` on its command line, or the official
 * image (`postgres`, from Docker Hub) given only flags, which its entrypoint passes to
 * `postgres`. Undefined when a `config_file` is named that the run does not hold, or when
 * nothing about ports and addresses is written (the image's own configuration listens on
 * every interface).
 */
export function postgresConfig(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): { port: number; addresses: string[]; text: string; path: Path; kind: 'flag' | 'config' | 'default'; portFrom: string; source?: string } | undefined {
  const pf = postgresFlags(c, raw);
  if (!pf) return undefined;
  const { flags, at, env } = pf;
  const file = flags.filter(([n]) => n === 'config_file').pop()?.[1];
  let text: string | undefined;
  let source: string | undefined;
  let filePath: Path | undefined;
  if (file !== undefined) {
    const found = mountedFile(graph, t, raw, file);
    if (!found) return undefined;
    text = found.text;
    source = `ConfigMap ${found.configMap}, key ${found.key}`;
    filePath = ['volumeMounts', found.at];
  } else if (!flags.some(([n]) => n === 'listen_addresses' || n === 'port')) return undefined;
  const pgport = env.get('PGPORT');
  const r = postgresListen(text, flags, pgport);
  if (!r) return undefined;
  const addrText = r.addressFrom === 'flag' ? `listen_addresses=${r.addresses.join(',')}` : r.addressFrom === 'file' ? `listen_addresses = '${r.addresses.join(',')}'` : `no listen_addresses (PostgreSQL's default is localhost)`;
  // Without a file, the image's own configuration decides the addresses: only flags count.
  if (file === undefined && r.addressFrom === 'default') return { port: r.port, addresses: ['*'], text: addrText, path: at.port?.path ?? [], kind: 'flag', portFrom: r.portFrom };
  return {
    port: r.port,
    addresses: r.addresses,
    text: addrText,
    path: r.addressFrom === 'flag' ? at.listen_addresses!.path : filePath!,
    kind: r.addressFrom === 'flag' ? 'flag' : r.addressFrom === 'file' ? 'config' : 'default',
    portFrom: r.portFrom,
    ...(r.addressFrom !== 'flag' && source ? { source } : {}),
  };
}

/** `::1` in any of its spellings (`0:0:0:0:0:0:0:1`, `0::1`). */
function isIPv6Loopback(ip: string): boolean {
  if (!/^[0-9a-f:]+$/i.test(ip) || (ip.match(/::/g) ?? []).length > 1) return false;
  const [head, tail] = ip.includes('::') ? ip.split('::') as [string, string] : [ip, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.length === 8 && groups.every((g, i) => /^[0-9a-f]{1,4}$/i.test(g) && parseInt(g, 16) === (i === 7 ? 1 : 0));
}

/** A pg_hba.conf address that only a loopback client matches: 127.0.0.0/8 and ::1 (with a prefix or a mask), `localhost`. */
function loopbackOnlyAddress(address: string, mask: string | undefined): boolean {
  if (address === 'localhost') return true;
  const [ip, bits] = address.split('/') as [string, string | undefined];
  const v4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
  const v6 = isIPv6Loopback(ip);
  if (!v4 && !v6) return false;
  if (bits !== undefined) return /^\d{1,3}$/.test(bits) && Number(bits) >= (v4 ? 8 : 128) && Number(bits) <= (v4 ? 32 : 128);
  if (mask === undefined) return false;
  if (v4) {
    const m = mask.split('.').map(Number);
    return m.length === 4 && m[0] === 255 && m.every((x) => Number.isInteger(x) && x >= 0 && x <= 255);
  }
  return /^ffff(?::ffff){7}$/i.test(mask);
}

/**
 * @internal Whether a pg_hba.conf admits TCP connections from loopback addresses only: true
 * when every `host…` record is for a loopback address or rejects (or there is none), false
 * when a record may admit another address, undefined when the file cannot be read to the end
 * here (`include` directives, continued lines, quoted fields, a record of an unknown type).
 */
export function pgHbaLoopbackOnly(text: string): boolean | undefined {
  const records = hbaRecords(text);
  return records && records.every((r) => r.method === 'reject' || loopbackOnlyAddress(r.address, r.mask));
}

/**
 * The records of a pg_hba.conf for TCP connections (`host…`; `local` ones left out), or
 * undefined when the file cannot be read to the end here: `include` directives, continued
 * lines, quoted fields, a record of an unknown type or without its method.
 */
function hbaRecords(text: string): { database: string; address: string; mask?: string; method: string }[] | undefined {
  const out: { database: string; address: string; mask?: string; method: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    if (line.endsWith('\\') || line.includes('"')) return undefined;
    const [type, database, , address, ...rest] = line.split(/\s+/) as [string, string?, string?, string?, ...string[]];
    const kind = type.toLowerCase();
    if (kind.startsWith('include')) return undefined;
    if (kind === 'local') continue;
    if (!/^host(?:ssl|nossl|gssenc|nogssenc)?$/.test(kind) || database === undefined || address === undefined) return undefined;
    // `host db user 127.0.0.1 255.255.255.255 md5`: an address with a mask in the next field.
    const mask = !address.includes('/') && /^[\d.]+$|^[0-9a-f:]+$/i.test(rest[0] ?? '') && rest.length > 1 ? rest[0] : undefined;
    const method = (mask !== undefined ? rest[1] : rest[0])?.toLowerCase();
    if (method === undefined) return undefined;
    out.push({ database, address: address.toLowerCase(), ...(mask !== undefined ? { mask } : {}), method });
  }
  return out;
}

/**
 * The server a container's `pg_basebackup` copies from (a standby's first step): its host and
 * port from `-h`/`--host` and `-p`/`--port`, or from a connection string (`-d`/`--dbname`,
 * `host=… port=…` or a `postgresql://` URI), else `PGHOST` and `PGPORT` (port 5432 by
 * default). Undefined for a host given by a variable, a socket folder or several hosts.
 */
export function pgBasebackupSources(raw: Record<string, unknown>): { host: string; port: number; path: Path }[] {
  const { env } = envOf(raw);
  const out: { host: string; port: number; path: Path }[] = [];
  for (const words of commandLines(raw, env)) {
    const ws = words.map((w) => w.word);
    const i = invoked(ws, 'pg_basebackup');
    if (i < 0) continue;
    let host = env.get('PGHOST');
    let port = env.get('PGPORT');
    let at: Path = words[i]!.path;
    for (let k = i + 1; k < ws.length; k++) {
      const w = ws[k]!;
      const value = (short: string, long: string): string | undefined =>
        w === short || w === long ? ws[++k] : w.startsWith(`${long}=`) ? w.slice(long.length + 1) : w.startsWith(short) && w.length > short.length && !w.startsWith('--') ? w.slice(short.length) : undefined;
      const h = value('-h', '--host');
      if (h !== undefined) {
        host = h;
        at = words[k]!.path;
        continue;
      }
      const p = value('-p', '--port');
      if (p !== undefined) {
        port = p;
        continue;
      }
      const d = value('-d', '--dbname');
      if (d === undefined) continue;
      // A connection string: key=value words (split on spaces by the command line) or a URI.
      const uri = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^:/?,]+)(?::(\d+))?/.exec(d);
      if (uri) [host, port, at] = [uri[1], uri[2] ?? port, words[k]!.path];
      // Its first word, then the words after it while they are `key=value`.
      for (let m = k; m < ws.length; m++) {
        const word = m === k ? d : ws[m]!;
        if (m > k && !/^[a-z_]+=/.test(word)) break;
        const kv = /^(host|port)=(.*)$/.exec(word);
        if (kv?.[1] === 'host') [host, at] = [kv[2], words[m]!.path];
        else if (kv) port = kv[2];
      }
    }
    if (host === undefined || !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(host) || !/^\d{1,5}$/.test(port ?? '5432')) continue;
    out.push({ host, port: Number(port ?? '5432'), path: at });
  }
  return out;
}

/**
 * @internal Whether a pg_hba.conf has a record that may admit a physical replication
 * connection (pg_basebackup, a standby's `primary_conninfo`) from another host: a `host…`
 * record whose database list holds the keyword `replication` (unquoted: `all` does not match
 * such a connection, hba.c's check_db), for an address other than loopback, and that does not
 * reject. Undefined when the file cannot be read to the end here (as pgHbaLoopbackOnly), or a
 * database list names a file (`@file`).
 */
export function pgHbaAdmitsReplication(text: string): boolean | undefined {
  const records = hbaRecords(text);
  if (!records || records.some((r) => r.database.includes('@'))) return undefined;
  return records.some((r) => r.method !== 'reject' && !loopbackOnlyAddress(r.address, r.mask) && r.database.split(',').includes('replication'));
}

/**
 * The client authentication file a container's PostgreSQL reads (`hba_file`, given on its
 * command line or in its `config_file`, both from the run), with the port it listens on;
 * undefined when the run does not hold them.
 *
 * It lets in no client from another pod (postgresHbaLocalOnly) when every record for
 * TCP connections (`host`, `hostssl`, `hostnossl`, `hostgssenc`, `hostnogssenc`) is for a
 * loopback address (`127.0.0.1/32`, `::1/128`, `localhost`) or rejects, or there is none.
 * The server takes the first record that matches a connection and denies one that none
 * matches ("no pg_hba.conf entry for host"), so a Service's clients are refused whatever
 * their password. Undefined where that is not certain: a record for `all`, `samehost`,
 * `samenet`, a host name or any other network; `include` directives and continued lines
 * (PostgreSQL 16); a file the run does not hold.
 */
export function postgresHba(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): { port: number; file: string; text: string; key: string; configMap: string; at: number } | undefined {
  const pf = postgresFlags(c, raw);
  if (!pf) return undefined;
  const configFile = pf.flags.filter(([n]) => n === 'config_file').pop()?.[1];
  const config = configFile !== undefined ? mountedFile(graph, t, raw, configFile) : undefined;
  if (configFile !== undefined && !config) return undefined;
  let hbaFile = pf.flags.filter(([n]) => n === 'hba_file').pop()?.[1];
  if (hbaFile === undefined && config) {
    for (const line of config.text.split(/\r?\n/)) {
      const m = /^\s*hba_file\s*=?\s*(?:'((?:[^'\\]|'')*)'|([^\s#']+))/i.exec(line);
      if (m) hbaFile = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
    }
  }
  if (hbaFile === undefined || !hbaFile.startsWith('/')) return undefined;
  const hba = mountedFile(graph, t, raw, hbaFile);
  if (!hba) return undefined;
  const listen = postgresListen(config?.text, pf.flags, pf.env.get('PGPORT'));
  if (!listen) return undefined;
  return { port: listen.port, file: hbaFile, text: hba.text, key: hba.key, configMap: hba.configMap, at: hba.at };
}

/** postgresHba() where the file admits TCP clients from loopback only (pgHbaLoopbackOnly). */
export function postgresHbaLocalOnly(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): { port: number; file: string; key: string; configMap: string; at: number } | undefined {
  const hba = postgresHba(graph, t, c, raw);
  return hba && pgHbaLoopbackOnly(hba.text) === true ? hba : undefined;
}

/** Where PostgreSQL listens by its settings, as evidence for target-port-not-listening. */
export function postgresListeners(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): { ports: number[]; evidence: ListenEvidence } | undefined {
  const pg = postgresConfig(graph, t, c, raw);
  if (!pg || pg.addresses.length === 0) return undefined;
  const kind = pg.portFrom === 'env' ? 'env' : pg.portFrom === 'flag' ? 'flag' : 'config';
  const text = pg.portFrom === 'env' ? `env PGPORT=${pg.port}` : pg.portFrom === 'flag' ? `port=${pg.port}` : pg.portFrom === 'file' ? `port = ${pg.port}${pg.source ? ` in ${pg.source}` : ''}` : `port 5432, PostgreSQL's default${pg.source ? `, which ${pg.source} does not change` : ''}`;
  return { ports: [pg.port], evidence: { port: pg.port, text, path: pg.path, kind, program: 'PostgreSQL' } };
}

/** The official `mongo` image (Docker Hub), whose entrypoint adds `--bind_ip_all`; undefined for an old tag (before 3.6 mongod bound every interface). */
export const officialMongo = (image: string | undefined): boolean => {
  if (hubRepository(image) !== 'mongo') return false;
  const v = /:(\d+)\.(\d+)/.exec((image ?? '').replace(/@.*$/, ''));
  return !v || Number(v[1]) > 3 || (Number(v[1]) === 3 && Number(v[2]) >= 6);
};

/**
 * mongod bound to localhost: since 3.6 it binds 127.0.0.1 unless `--bind_ip`, `--bind_ip_all`
 * or a `--config` file says otherwise. The official image's entrypoint adds `--bind_ip_all`,
 * but only when it runs: a container `command` replaces the entrypoint, and the entrypoint
 * adds it only when its first argument is `mongod` itself (or a flag), not `/usr/bin/mongod`.
 */
export function mongodLoopback(c: ContainerInfo, raw: Record<string, unknown>): Omit<LoopbackBind, 'container'> | undefined {
  const { env } = envOf(raw);
  const command = Array.isArray(raw.command);
  const lines = commandLines(raw, env);
  for (const words of lines) {
    const ws = words.map((w) => w.word);
    const i = invoked(ws, 'mongod');
    if (i < 0) continue;
    const rest = words.slice(i + 1);
    if (has(rest, 0, ['--bind_ip_all', '--config', '-f', '--configsvr', '--shardsvr'])) return undefined;
    const bind = flagValues(rest, 0, ['--bind_ip']).pop();
    // Run by the image's entrypoint as `mongod …`: it adds --bind_ip_all when nothing names an address.
    const entrypoint = !command && officialMongo(c.image) && i === 0 && ws[0] === 'mongod';
    if (!bind && entrypoint) return undefined;
    const portFlag = flagValues(rest, 0, ['--port']).pop();
    const port = portFlag ? (/^\d{1,5}$/.test(portFlag.value) ? Number(portFlag.value) : undefined) : 27017;
    const line = ws.join(' ');
    const text = line.length > 80 ? `${line.slice(0, 79)}…` : line;
    if (bind) {
      const hosts = bind.value.split(',').map((h) => h.trim());
      if (hosts.length === 0 || !hosts.every(isLoopbackHost)) return undefined;
      return { address: hosts[0]!, ...(port !== undefined ? { port } : {}), text: bind.text, path: bind.at.path, kind: 'flag', program: 'mongod' };
    }
    return { address: '127.0.0.1', ...(port !== undefined ? { port } : {}), text, path: words[i]!.path, kind: 'default', program: 'mongod', certain: true, caveat: command ? 'the container\'s command replaces the image\'s entrypoint, which would have added --bind_ip_all' : 'the image\'s entrypoint adds --bind_ip_all only when its first argument is mongod itself' };
  }
  // The image's entrypoint given only flags runs `mongod <flags>` and adds --bind_ip_all unless they name an address.
  if (!command && officialMongo(c.image) && lines[0]?.[0]?.word.startsWith('-')) {
    const rest = lines[0]!;
    const bind = flagValues(rest, 0, ['--bind_ip']).pop();
    if (!bind || has(rest, 0, ['--bind_ip_all', '--config', '-f'])) return undefined;
    const hosts = bind.value.split(',').map((h) => h.trim());
    if (!hosts.every(isLoopbackHost)) return undefined;
    const portFlag = flagValues(rest, 0, ['--port']).pop();
    const port = portFlag ? (/^\d{1,5}$/.test(portFlag.value) ? Number(portFlag.value) : undefined) : 27017;
    return { address: hosts[0]!, ...(port !== undefined ? { port } : {}), text: bind.text, path: bind.at.path, kind: 'flag', program: 'mongod' };
  }
  return undefined;
}

/**
 * A Kafka broker's listeners from the variables its images turn into `listeners` and
 * `advertised.listeners` (`KAFKA_…` for the Apache and Confluent images, `KAFKA_CFG_…` for
 * Bitnami's): `NAME://host:port` entries, with where each is written.
 */
export function kafkaListeners(raw: Record<string, unknown>, which: 'listeners' | 'advertised'): { name: string; host: string; port: number; text: string; path: Path }[] | undefined {
  const names = which === 'listeners' ? ['KAFKA_LISTENERS', 'KAFKA_CFG_LISTENERS'] : ['KAFKA_ADVERTISED_LISTENERS', 'KAFKA_CFG_ADVERTISED_LISTENERS'];
  const envs = Array.isArray(raw.env) ? raw.env : [];
  const index = envs.findIndex((e) => isRecord(e) && typeof e.name === 'string' && names.includes(e.name) && typeof e.value === 'string');
  if (index < 0) return undefined;
  const e = envs[index] as { name: string; value: string };
  const out: { name: string; host: string; port: number; text: string; path: Path }[] = [];
  for (const part of e.value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*):\/\/(\[[^\]]*\]|[^:/]*):(\d{1,5})$/.exec(part);
    if (!m || /\$/.test(part)) return undefined;
    out.push({ name: m[1]!, host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3]), text: `env ${e.name}=${e.value}`, path: ['env', index, 'value'] });
  }
  return out;
}

/**
 * @internal The addresses HAProxy binds by its configuration: every `bind` line's
 * comma-separated `[family@]address:port[-port]` entries (`*`, an empty address, `::` and
 * `0.0.0.0` are every interface, reported without a host). Unix sockets and other families
 * (`unix@`, `abns@`, `fd@`, `sockpair@`) are left out; a range names each of its ports.
 */
export function haproxyBinds(text: string): { host?: string; port: number; written: string }[] {
  const out: { host?: string; port: number; written: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const m = /^bind\s+(\S+)/.exec(line);
    if (!m) continue;
    for (const entry of m[1]!.split(',')) {
      const fam = /^([a-z0-9]+)@(.*)$/.exec(entry);
      if (fam && !['ipv4', 'ipv6', 'tcp', 'tcp4', 'tcp6'].includes(fam[1]!)) continue;
      const addr = fam ? fam[2]! : entry;
      if (addr.startsWith('/')) continue;
      const am = /^(.*):(\d{1,5})(?:-(\d{1,5}))?$/.exec(addr);
      if (!am) continue;
      const host = am[1]!.replace(/^\[|\]$/g, '');
      const from = Number(am[2]);
      const to = am[3] === undefined ? from : Math.min(Number(am[3]), from + 1000);
      for (let port = from; port <= to; port++) {
        if (port < 1 || port > 65535) continue;
        out.push({ ...(host === '' || host === '*' || host === '::' || host === '0.0.0.0' ? {} : { host }), port, written: entry });
      }
    }
  }
  return out;
}

/**
 * @internal Whether HAProxy's configuration says every TCP address it listens on in its
 * `bind` lines, as haproxyBinds() reads them: no `stats socket` on an address (a TCP socket),
 * no `peers` section (the local peer listens), no conditional block (`.if`), and no `bind`
 * entry it cannot read (a variable, a family it does not know).
 */
export function haproxyComplete(text: string): boolean {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (/^(?:peers|\.if|\.elif)\b/.test(line) || /\$/.test(line)) return false;
    const socket = /^stats\s+socket\s+(\S+)/.exec(line);
    if (socket && !/^(?:unix@)?\//.test(socket[1]!)) return false;
    const m = /^bind\s+(\S+)/.exec(line);
    if (!m) continue;
    for (const entry of m[1]!.split(',')) {
      const fam = /^([a-z0-9]+)@(.*)$/.exec(entry);
      if (fam && ['unix', 'abns', 'fd', 'sockpair'].includes(fam[1]!)) continue;
      if (fam && !['ipv4', 'ipv6', 'tcp', 'tcp4', 'tcp6'].includes(fam[1]!)) return false;
      const addr = fam ? fam[2]! : entry;
      if (addr.startsWith('/')) continue;
      if (!/^(.*):(\d{1,5})(?:-(\d{1,5}))?$/.test(addr)) return false;
    }
  }
  return true;
}

/**
 * Images whose default command is `haproxy -f /usr/local/etc/haproxy/haproxy.cfg` behind an
 * entrypoint that passes flags to `haproxy`: the official image and HAProxy Technologies'
 * own (`haproxytech/haproxy-alpine`, `-debian`, `-ubuntu`; their Dockerfiles' CMD).
 */
const HAPROXY_IMAGES = new Set(['haproxy', 'haproxytech/haproxy-alpine', 'haproxytech/haproxy-debian', 'haproxytech/haproxy-ubuntu']);

/**
 * Where an HAProxy container listens by its configuration files from ConfigMaps of the run:
 * `haproxy -f FILE…` on its command line, or an HAProxy image (HAPROXY_IMAGES), whose default
 * command reads `/usr/local/etc/haproxy/haproxy.cfg` (and whose entrypoint passes flags to
 * `haproxy`). Undefined when a file is not in the run or none binds a TCP address.
 */
export function haproxyConfig(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): { complete: boolean; binds: { host?: string; port: number }[]; text: string; source: string; path: Path } | undefined {
  const { env } = envOf(raw);
  let files: string[] | undefined;
  for (const words of commandLines(raw, env)) {
    const ws = words.map((w) => w.word);
    const i = invoked(ws, 'haproxy');
    if (i < 0) continue;
    files = flagValues(words, i + 1, ['-f']).map((v) => v.value);
    break;
  }
  if (!files && !Array.isArray(raw.command) && HAPROXY_IMAGES.has(hubRepository(c.image) ?? '')) {
    const args = Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === 'string') : [];
    if (args.length === 0) files = ['/usr/local/etc/haproxy/haproxy.cfg'];
    else if (args[0]!.startsWith('-')) files = flagValues(args.map((word) => ({ word, path: [] })), 0, ['-f']).map((v) => v.value);
  }
  if (!files?.length) return undefined;
  const binds: { host?: string; port: number; written: string }[] = [];
  let first: { key: string; configMap: string; at: number } | undefined;
  // The master CLI (`-S`) listens where the command line says.
  let complete = !commandLines(raw, env).some((words) => words.some((w) => w.word === '-S' || w.word.startsWith('-S')));
  for (const f of files) {
    const found = mountedFile(graph, t, raw, f);
    if (!found) return undefined;
    first ??= found;
    binds.push(...haproxyBinds(found.text));
    complete &&= haproxyComplete(found.text);
  }
  if (!binds.length || !first) return undefined;
  // The addresses as the `bind` lines write them (a range once), the first few.
  const written = [...new Set(binds.map((b) => b.written))];
  return { complete, binds, text: `bind ${written.slice(0, 4).join(', ')}${written.length > 4 ? ', …' : ''}`, source: `ConfigMap ${first.configMap}, key ${first.key}`, path: ['volumeMounts', first.at] };
}

/** Where HAProxy listens, as evidence for target-port-not-listening. */
export function haproxyListeners(graph: ServiceGraph, t: PodTemplate, c: ContainerInfo, raw: Record<string, unknown>): { complete: boolean; ports: number[]; evidence: ListenEvidence } | undefined {
  const h = haproxyConfig(graph, t, c, raw);
  if (!h) return undefined;
  const ports = [...new Set(h.binds.map((b) => b.port))].sort((a, b) => a - b);
  return { complete: h.complete, ports, evidence: { port: ports[0]!, text: `${h.text} in ${h.source}`, path: h.path, kind: 'config', program: 'HAProxy' } };
}
