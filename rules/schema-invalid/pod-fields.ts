import type { Path } from '../../src/types/object.js';
import { formatPath } from '../../src/types/object.js';
import { isRecord } from '../../src/load/objects.js';
import { code, editDistance, list } from '../../src/text.js';
import { dns1123LabelProblems, isDNS1123Label, isDNS1123Subdomain, labelValueProblems, qualifiedNameProblems } from '../../src/names.js';

/**
 * What pod validation (`ValidatePodSpec` of kube-apiserver) rejects in a pod's volumes, its
 * containers' volume mounts, env and envFrom, and their images: each is a reason the whole
 * workload is refused. Read from the API server's source (pkg/apis/core/validation, v1.36) and
 * held to a running one by test/apiserver-differential.test.ts.
 *
 * Fields the schema requires (a mount's `name` and `mountPath`, an item's `key` and `path`, an
 * env entry's `name`...) are reported by the schema when missing; here only when empty, which
 * the schema lets through and the server does not.
 */
export interface PodFieldProblem {
  path: Path;
  /** The field, relative to the pod spec (`containers[0].volumeMounts[1].name`). */
  field: string;
  problem: string;
  /**
   * Checked only when a Pod is created (ValidatePodCreate, validateContainersOnlyForPod): a
   * workload's template with it is stored, and every pod its controller makes is refused.
   */
  podsOnly?: boolean;
}

/** A sysctl name as validateSysctls takes it (IsValidSysctlName). */
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
/** Sysctls of the IPC namespace by name (component-helpers' nameToNamespace); `fs.mqueue.*` by prefix. */
const IPC_SYSCTLS = new Set(['kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced', 'kernel.shm', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.msg']);

/** A sysctl name with `.` as its separator (NormalizeName: `net/ipv4/ip_forward` is `net.ipv4.ip_forward`). */
export function normalSysctl(name: string): string {
  const i = name.search(/[./]/);
  if (i < 0 || name[i] === '.') return name;
  return name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** The kernel namespace of a sysctl (GetNamespace): `Net`, `IPC`, or undefined (not namespaced). */
export function sysctlNamespace(name: string): 'Net' | 'IPC' | undefined {
  const n = normalSysctl(name).split('*')[0]!;
  if (IPC_SYSCTLS.has(n) || n.startsWith('fs.mqueue.')) return 'IPC';
  return n.startsWith('net.') ? 'Net' : undefined;
}

/** Fields validateWindows forbids in a pod whose `os.name` is `windows`: the pod's (spec-level and securityContext) and each container's securityContext. */
const WINDOWS_POD_FIELDS: [Path, string][] = [
  [['securityContext', 'appArmorProfile'], 'set'], [['securityContext', 'seLinuxOptions'], 'set'], [['hostUsers'], 'set'],
  [['hostPID'], 'true'], [['hostIPC'], 'true'], [['securityContext', 'seccompProfile'], 'set'], [['securityContext', 'fsGroup'], 'set'],
  [['securityContext', 'fsGroupChangePolicy'], 'set'], [['securityContext', 'sysctls'], 'nonempty'], [['shareProcessNamespace'], 'set'],
  [['securityContext', 'runAsUser'], 'set'], [['securityContext', 'runAsGroup'], 'set'], [['securityContext', 'supplementalGroups'], 'set'],
  [['securityContext', 'supplementalGroupsPolicy'], 'set'], [['securityContext', 'seLinuxChangePolicy'], 'set'],
];
const WINDOWS_CONTAINER_FIELDS = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];

/** The volume sources of a VolumeSource: a volume sets exactly one (none: defaulted to emptyDir). */
const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'quobyte', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos', 'projected',
  'csi', 'ephemeral', 'image',
];

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const VOLUME_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.labels', 'metadata.annotations', 'metadata.uid'];
/** Field labels the v1 downward API converts at all; others fail before the lists above are asked. */
const FIELD_LABELS = new Set(['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs', 'spec.host']);
const RESOURCE_FIELDS = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];
const PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];
const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Set: present and not null (JSON null leaves a Go pointer nil). */
const set = (v: unknown): boolean => v !== undefined && v !== null;

/** `a valid config key`: ConfigMap and Secret keys. */
function configKeyProblem(k: string): string | undefined {
  if (k.length > 253) return 'is longer than 253 characters';
  if (!/^[-._a-zA-Z0-9]+$/.test(k)) return 'is not a valid key: keys consist of letters, digits, `-`, `_` and `.`';
  if (k === '.' || k === '..') return `must not be ${code(k)}`;
  if (k.startsWith('..')) return 'must not start with `..`';
  return undefined;
}

/** An environment variable name (the relaxed rule, the only one from Kubernetes 1.32). */
function envNameProblem(n: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(n) ? undefined : 'is not a valid environment variable name: it must consist only of printable ASCII characters other than `=`';
}

/** A path inside a volume: relative, without `..` elements (nor starting with `..` for file paths). */
function localPathProblem(p: string, file: boolean): string | undefined {
  if (p.startsWith('/')) return 'must be a relative path';
  if (p.replace(/\\/g, '/').split('/').includes('..')) return 'must not contain `..`';
  if (file && p.startsWith('..')) return 'must not start with `..`';
  return undefined;
}

/** A file mode: an integer from 0 to 0777; a decimal 644 is the usual slip for the octal 0644. */
function modeProblem(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
  if (v >= 0 && v <= 0o777) return undefined;
  const octal = /^[0-7]{3,4}$/.test(String(v)) ? `; ${v} reads as decimal: write ${code(`0${String(v).replace(/^0/, '')}`)} (YAML reads a leading 0 as octal) or ${parseInt(String(v), 8)}` : '';
  return `${code(v)} is not a file mode between 0 and 0777 (octal)${octal}`;
}

/** What the API server rejects in one pod spec's volumes, mounts, env, envFrom and images. */
export function podFieldProblems(spec: Record<string, unknown>, at: Path, claims: readonly string[] = []): PodFieldProblem[] {
  const out: PodFieldProblem[] = [];
  const add = (rel: Path, problem: string, podsOnly = false) => out.push({ path: [...at, ...rel], field: code(fieldText(rel)), problem, ...(podsOnly ? { podsOnly } : {}) });
  // A StatefulSet's volumeClaimTemplates are volumes of its pods, and take the place of a volume of the same name.
  const hostUsers = spec.hostUsers !== false;
  // The API server defaults terminationGracePeriodSeconds to 30 before it validates.
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  const valid = volumes(spec, add, new Set(claims));
  for (const c of claims) valid.set(c, { name: c, persistentVolumeClaim: { claimName: c } });
  const all = new Set([...claims, ...arr(spec.volumes).map((v) => (isRecord(v) ? str(v.name) : undefined)).filter((n): n is string => n !== undefined && n !== '')]);
  for (const field of ['initContainers', 'containers'] as const) {
    arr(spec[field]).forEach((c, i) => {
      if (!isRecord(c)) return;
      const base: Path = [field, i];
      const image = c.image;
      if (image === undefined || image === '') add([...base, ...(image === '' ? ['image'] : [])], image === '' ? 'is empty; a container needs an image' : 'has no `image`; a container needs one');
      else if (typeof image === 'string' && image !== image.trim()) add([...base, 'image'], `${code(JSON.stringify(image))} has leading or trailing whitespace`, true);
      claimNames(c, base, spec, add);
      mounts(c, base, valid, all, add);
      env(c, base, add);
      envFrom(c, base, add);
      const pull = c.imagePullPolicy;
      if (typeof pull === 'string' && pull !== '' && !PULL_POLICIES.includes(pull)) add([...base, 'imagePullPolicy'], `${code(pull)} is not one of ${list(PULL_POLICIES.map((x) => code(x)))}${oneOfCase(pull, PULL_POLICIES)}`);
      if (isRecord(c.securityContext)) securityContext(c.securityContext, [...base, 'securityContext'], hostUsers, add);
      handlers(c, base, grace, add);
    });
  }
  // A pod placed on a node by hand may not wait on scheduling gates (ValidatePodCreate).
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '' && arr(spec.schedulingGates).length > 0) add(['nodeName'], 'is set beside `schedulingGates`; a pod cannot be bound to a node until all its scheduling gates are cleared', true);
  sysctls(spec, add);
  const os = isRecord(spec.os) ? spec.os.name : undefined;
  if (os === 'windows') windowsFields(spec, add);
  else if (os === 'linux') {
    if (isRecord(spec.securityContext) && set(spec.securityContext.windowsOptions)) add(['securityContext', 'windowsOptions'], 'cannot be set for a pod whose `os.name` is `linux`');
    for (const field of ['initContainers', 'containers'] as const) {
      arr(spec[field]).forEach((c, i) => {
        if (isRecord(c) && isRecord(c.securityContext) && set(c.securityContext.windowsOptions)) add([field, i, 'securityContext', 'windowsOptions'], 'cannot be set for a pod whose `os.name` is `linux`');
      });
    }
  }
  if (isRecord(spec.os) && (os === undefined || os === '' || os === null)) add(['os', 'name'], 'is missing; `os` needs a `name`, `linux` or `windows`');
  else if (typeof os === 'string' && os !== 'linux' && os !== 'windows') add(['os', 'name'], `${code(os)} is not one of \`linux\` and \`windows\`${oneOfCase(os, ['linux', 'windows'])}`);
  if (isRecord(spec.securityContext)) securityContext(spec.securityContext, ['securityContext'], hostUsers, add, true);
  for (const f of ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName']) {
    const v = spec[f];
    if (typeof v === 'string' && v !== '' && !isDNS1123Subdomain(v)) add([f], `${code(v)} is not a valid name (a lowercase DNS subdomain: letters, digits, \`-\` and \`.\`)`);
  }
  const preemption = spec.preemptionPolicy;
  if (typeof preemption === 'string' && preemption !== 'PreemptLowerPriority' && preemption !== 'Never') add(['preemptionPolicy'], `${code(preemption)} is not one of \`PreemptLowerPriority\` and \`Never\``);
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > 2147483647)) add(['activeDeadlineSeconds'], `${code(deadline)} is not between 1 and 2147483647`);
  arr(spec.readinessGates).forEach((g, i) => {
    const t = isRecord(g) ? str(g.conditionType) : undefined;
    if (t === undefined) return;
    const problems = qualifiedNameProblems(t);
    if (problems.length) add(['readinessGates', i, 'conditionType'], `${code(t)} is not a valid condition type: it ${list(problems)}`);
  });
  tolerations(spec.tolerations, add);
  labelMap(spec.nodeSelector, ['nodeSelector'], add);
  if (isRecord(spec.affinity) && isRecord(spec.affinity.nodeAffinity)) nodeAffinity(spec.affinity.nodeAffinity, ['affinity', 'nodeAffinity'], add);
  // validatePodAffinityTerm: a term's topologyKey may not be empty (a chart's value left blank).
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = isRecord(spec.affinity) ? spec.affinity[kind] : undefined;
    if (!isRecord(a)) continue;
    arr(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      if (isRecord(term) && term.topologyKey === '') add(['affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', i, 'topologyKey'], 'is empty; a term needs a topology key (`kubernetes.io/hostname`, `topology.kubernetes.io/zone`)');
    });
    arr(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, i) => {
      const term = isRecord(w) ? w.podAffinityTerm : undefined;
      if (isRecord(term) && term.topologyKey === '') add(['affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm', 'topologyKey'], 'is empty; a term needs a topology key (`kubernetes.io/hostname`, `topology.kubernetes.io/zone`)');
    });
  }
  spread(spec.topologySpreadConstraints, add);
  return out;
}

/** What validateSysctls rejects: a name that is not a sysctl name, one named twice, a network or IPC sysctl of a pod that shares that namespace with the node. */
function sysctls(spec: Record<string, unknown>, add: Add): void {
  const list = isRecord(spec.securityContext) ? arr(spec.securityContext.sysctls) : [];
  const seen = new Set<string>();
  list.forEach((s, i) => {
    const name = isRecord(s) ? str(s.name) : undefined;
    if (name === undefined) return;
    const at: Path = ['securityContext', 'sysctls', i, 'name'];
    if (name === '') add(at, 'is empty; a sysctl needs a name');
    else if (name.length > 253 || !SYSCTL_NAME.test(name)) add(at, `${code(name)} is not a sysctl name (lowercase segments of letters, digits, \`-\` and \`_\`, joined by \`.\` or \`/\`; at most 253 characters)`);
    else if (seen.has(name)) add(at, `${code(name)} is set twice`);
    if (name !== '') {
      const ns = sysctlNamespace(name);
      if (ns === 'Net' && spec.hostNetwork === true) add(at, `${code(name)} is a network sysctl, which may not be set on a pod with \`hostNetwork: true\` (it would change the node's)`);
      if (ns === 'IPC' && spec.hostIPC === true) add(at, `${code(name)} is an IPC sysctl, which may not be set on a pod with \`hostIPC: true\` (it would change the node's)`);
    }
    seen.add(name);
  });
}

/** What validateWindows forbids in a pod whose `os.name` is `windows`. */
function windowsFields(spec: Record<string, unknown>, add: Add): void {
  for (const [rel, how] of WINDOWS_POD_FIELDS) {
    let v: unknown = spec;
    for (const k of rel) v = isRecord(v) ? v[k as string] : undefined;
    const hit = how === 'true' ? v === true : how === 'nonempty' ? arr(v).length > 0 : set(v);
    if (hit) add(rel, 'cannot be set for a pod whose `os.name` is `windows`');
  }
  for (const field of ['initContainers', 'containers'] as const) {
    arr(spec[field]).forEach((c, i) => {
      const sc = isRecord(c) && isRecord(c.securityContext) ? c.securityContext : undefined;
      if (!sc) return;
      for (const f of WINDOWS_CONTAINER_FIELDS) if (set(sc[f])) add([field, i, 'securityContext', f], 'cannot be set for a pod whose `os.name` is `windows`');
    });
  }
}

/** validateResourceClaimNames: a container's `resources.claims` name claims of the pod's `resourceClaims`. */
function claimNames(c: Record<string, unknown>, base: Path, spec: Record<string, unknown>, add: Add): void {
  const claims = isRecord(c.resources) ? arr(c.resources.claims) : [];
  if (claims.length === 0) return;
  const pod = new Set(arr(spec.resourceClaims).map((r) => (isRecord(r) ? str(r.name) : undefined)).filter((n): n is string => n !== undefined && n !== ''));
  claims.forEach((claim, i) => {
    const name = isRecord(claim) ? str(claim.name) : undefined;
    if (name === undefined || name === '' || pod.has(name)) return;
    add([...base, 'resources', 'claims', i, 'name'], `${code(name)} is not one of the pod's \`resourceClaims\`${pod.size ? ` (${list([...pod].map((n) => code(n)))})` : ', which lists none'}`);
  });
}

/** A header name as apimachinery's IsHTTPHeaderName takes it. */
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;

/**
 * What validateHandler rejects in probes and lifecycle hooks: an `httpGet` header name that is
 * not a header name (`Host: example.com` written as the name), and a `sleep` longer than the
 * pod's grace period or negative (validateSleepAction).
 */
function handlers(c: Record<string, unknown>, base: Path, grace: number, add: Add): void {
  const spots: [Path, unknown][] = [];
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) spots.push([[probe], c[probe]]);
  const life = isRecord(c.lifecycle) ? c.lifecycle : {};
  for (const hook of ['postStart', 'preStop']) spots.push([['lifecycle', hook], life[hook]]);
  for (const [rel, h] of spots) {
    if (!isRecord(h)) continue;
    const get = isRecord(h.httpGet) ? h.httpGet : undefined;
    arr(get?.httpHeaders).forEach((hd, i) => {
      const name = isRecord(hd) ? hd.name : undefined;
      if (typeof name === 'string' && !HTTP_HEADER_NAME.test(name)) add([...base, ...rel, 'httpGet', 'httpHeaders', i, 'name'], `${code(name)} is not an HTTP header name (letters, digits and \`-\`)${name.includes(':') ? '; the value goes in `value`' : ''}`);
    });
    const sleep = isRecord(h.sleep) ? h.sleep.seconds : undefined;
    if (typeof sleep === 'number' && Number.isInteger(sleep) && (sleep < 0 || sleep > grace)) add([...base, ...rel, 'sleep', 'seconds'], `${code(sleep)} ${sleep < 0 ? 'is negative' : `is longer than the pod's terminationGracePeriodSeconds (${grace}${grace === 30 ? ', the default' : ''})`}`);
  }
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const SECCOMP = ['RuntimeDefault', 'Unconfined', 'Localhost'];
const SPREAD_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];
const INCLUSION = ['Honor', 'Ignore'];
const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

/** `; case matters: write `Always`` when the value is an allowed one in another case. */
function oneOfCase(v: string, allowed: readonly string[]): string {
  const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  return hit ? ` (case matters: ${code(hit)})` : '';
}

/** A Linux user or group ID: 0 to 2147483647. */
const idProblem = (v: unknown): string | undefined => (typeof v === 'number' && Number.isInteger(v) && (v < 0 || v > 2147483647) ? `${code(v)} is not between 0 and 2147483647` : undefined);

function securityContext(sc: Record<string, unknown>, at: Path, hostUsers: boolean, add: Add, pod = false): void {
  for (const f of pod ? ['runAsUser', 'runAsGroup', 'fsGroup'] : ['runAsUser', 'runAsGroup']) {
    const problem = idProblem(sc[f]);
    if (problem) add([...at, f], problem);
  }
  const sp = sc.seccompProfile;
  if (isRecord(sp)) {
    const type = str(sp.type);
    if (type !== undefined && !SECCOMP.includes(type)) add([...at, 'seccompProfile', 'type'], type === '' ? 'is empty; a seccompProfile takes a type' : `${code(type)} is not one of ${list(SECCOMP.map((x) => code(x)))}${oneOfCase(type, SECCOMP)}`);
    const local = sp.localhostProfile;
    if (type === 'Localhost' && (local === undefined || local === null)) add([...at, 'seccompProfile'], 'has type `Localhost` and no `localhostProfile`; it names the profile file');
    else if (type === 'Localhost' && typeof local === 'string') {
      const problem = localPathProblem(local, false);
      if (problem) add([...at, 'seccompProfile', 'localhostProfile'], `${code(local)} ${problem}`);
    } else if (type !== undefined && SECCOMP.includes(type) && local !== undefined && local !== null) add([...at, 'seccompProfile', 'localhostProfile'], `is set with type ${code(type)}; it is only for \`Localhost\``);
  }
  if (pod) return;
  const proc = str(sc.procMount);
  if (proc !== undefined) {
    if (proc !== 'Default' && proc !== 'Unmasked') add([...at, 'procMount'], `${code(proc)} is not one of \`Default\` and \`Unmasked\``);
    else if (proc === 'Unmasked' && hostUsers) add([...at, 'procMount'], '`Unmasked` needs the pod\'s `securityContext.hostUsers: false`');
  }
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) add(at, 'sets `allowPrivilegeEscalation: false` and `privileged: true`; a privileged container can always escalate');
    const adds = isRecord(sc.capabilities) ? arr(sc.capabilities.add) : [];
    if (adds.includes('CAP_SYS_ADMIN')) add(at, 'sets `allowPrivilegeEscalation: false` and adds `CAP_SYS_ADMIN`, which allows escalation');
  }
}

function tolerations(raw: unknown, add: Add): void {
  arr(raw).forEach((t, i) => {
    if (!isRecord(t)) return;
    const at: Path = ['tolerations', i];
    const key = str(t.key) ?? '';
    const op = str(t.operator) ?? '';
    const value = str(t.value) ?? '';
    const effect = str(t.effect) ?? '';
    if (key !== '') {
      const problems = qualifiedNameProblems(key);
      if (problems.length) add([...at, 'key'], `${code(key)} is not a valid taint key: it ${list(problems)}`);
    }
    if (key === '' && op !== 'Exists') add([...at, 'operator'], `${op === '' ? 'is unset (Equal)' : `${code(op)}`} while \`key\` is empty; matching every key takes \`operator: Exists\``);
    if (set(t.tolerationSeconds) && effect !== 'NoExecute') add([...at, 'effect'], `${effect === '' ? 'is unset' : code(effect)}, while \`tolerationSeconds\` is set: that takes \`effect: NoExecute\``);
    if (op === '' || op === 'Equal') {
      const problems = labelValueProblems(value);
      if (problems.length) add([...at, 'value'], `${code(value)} is not a valid taint value: it ${list(problems)}`);
    } else if (op === 'Exists') {
      if (value !== '') add([...at, 'value'], `${code(value)} is set with \`operator: Exists\`, which takes no value (drop it, or use \`Equal\`)`);
    } else if (op !== 'Lt' && op !== 'Gt') {
      // Lt and Gt depend on a feature gate of the cluster: not judged.
      add([...at, 'operator'], `${code(op)} is not one of \`Equal\` and \`Exists\`${oneOfCase(op, ['Equal', 'Exists'])}`);
    }
    if (effect !== '' && !EFFECTS.includes(effect)) add([...at, 'effect'], `${code(effect)} is not one of ${list(EFFECTS.map((x) => code(x)))}${oneOfCase(effect, EFFECTS)}`);
  });
}

function labelMap(m: unknown, at: Path, add: Add): void {
  if (!isRecord(m)) return;
  for (const [k, v] of Object.entries(m)) {
    const kp = qualifiedNameProblems(k);
    if (kp.length) add(at, `has the key ${code(k)}, which is not a valid label key: it ${list(kp)}`);
    if (typeof v !== 'string') continue;
    const vp = labelValueProblems(v);
    if (vp.length) add([...at, k], `${code(v)} is not a valid label value: it ${list(vp)}`);
  }
}

function nodeTerm(term: unknown, at: Path, values: boolean, add: Add): void {
  if (!isRecord(term)) return;
  arr(term.matchExpressions).forEach((r, j) => {
    if (!isRecord(r)) return;
    const p: Path = [...at, 'matchExpressions', j];
    const op = str(r.operator) ?? '';
    const vals = arr(r.values);
    if (!NODE_OPERATORS.includes(op)) add([...p, 'operator'], `${code(op)} is not a valid operator: ${list(NODE_OPERATORS.map((x) => code(x)), 6)}${oneOfCase(op, NODE_OPERATORS)}`);
    else if ((op === 'In' || op === 'NotIn') && vals.length === 0) add(p, `has operator ${code(op)} and no \`values\``);
    else if ((op === 'Exists' || op === 'DoesNotExist') && vals.length > 0) add([...p, 'values'], `are given with operator ${code(op)}, which takes none`);
    else if ((op === 'Gt' || op === 'Lt') && vals.length !== 1) add(vals.length ? [...p, 'values'] : p, `${op} takes exactly one value`);
    const key = str(r.key);
    if (key !== undefined) {
      const problems = qualifiedNameProblems(key);
      if (problems.length) add([...p, 'key'], `${code(key)} is not a valid label key: it ${list(problems)}`);
    }
    if (values) {
      vals.forEach((v, k) => {
        if (typeof v !== 'string') return;
        const problems = labelValueProblems(v);
        if (problems.length) add([...p, 'values', k], `${code(v)} is not a valid label value: it ${list(problems)}`);
      });
    }
  });
}

function nodeAffinity(na: Record<string, unknown>, at: Path, add: Add): void {
  const req = na.requiredDuringSchedulingIgnoredDuringExecution;
  if (isRecord(req)) {
    const terms = arr(req.nodeSelectorTerms);
    if (terms.length === 0) add([...at, 'requiredDuringSchedulingIgnoredDuringExecution'], 'has no `nodeSelectorTerms`; it needs at least one');
    terms.forEach((t, i) => nodeTerm(t, [...at, 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', i], true, add));
  }
  arr(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    if (!isRecord(t)) return;
    const p: Path = [...at, 'preferredDuringSchedulingIgnoredDuringExecution', i];
    if (typeof t.weight === 'number' && (t.weight < 1 || t.weight > 100)) add([...p, 'weight'], `${code(t.weight)} is not in the range 1-100`);
    // Preferred terms may name label values a node cannot have: they only rank nodes.
    nodeTerm(t.preference, [...p, 'preference'], false, add);
  });
}

function spread(raw: unknown, add: Add): void {
  const items = arr(raw);
  items.forEach((c, i) => {
    if (!isRecord(c)) return;
    const at: Path = ['topologySpreadConstraints', i];
    if (typeof c.maxSkew === 'number' && c.maxSkew <= 0) add([...at, 'maxSkew'], `${code(c.maxSkew)} must be greater than zero`);
    if (c.topologyKey === '') add([...at, 'topologyKey'], 'is empty; it names the node label that defines the domains');
    const action = str(c.whenUnsatisfiable);
    if (action !== undefined && !SPREAD_ACTIONS.includes(action)) add([...at, 'whenUnsatisfiable'], `${code(action)} is not one of ${list(SPREAD_ACTIONS.map((x) => code(x)))}${oneOfCase(action, SPREAD_ACTIONS)}`);
    const later = items.slice(i + 1).some((d) => isRecord(d) && d.topologyKey === c.topologyKey && d.whenUnsatisfiable === c.whenUnsatisfiable);
    if (later && typeof c.topologyKey === 'string') add(at, `repeats the pair {${c.topologyKey}, ${String(c.whenUnsatisfiable)}} of a later constraint`);
    if (typeof c.minDomains === 'number') {
      if (c.minDomains <= 0) add([...at, 'minDomains'], `${code(c.minDomains)} must be greater than zero`);
      else if (action !== 'DoNotSchedule') add([...at, 'minDomains'], `is set while whenUnsatisfiable is ${code(action ?? '')}; it is only for \`DoNotSchedule\``);
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const v = str(c[f]);
      if (v !== undefined && !INCLUSION.includes(v)) add([...at, f], `${code(v)} is not one of \`Honor\` and \`Ignore\`${oneOfCase(v, INCLUSION)}`);
    }
  });
}

type Add = (rel: Path, problem: string) => void;

/** The field as written from the pod spec, or its last names when that is long (`nodeSelectorTerms[0].matchExpressions[0]`). */
function fieldText(rel: Path): string {
  for (let k = 0; k < rel.length; k++) {
    if (typeof rel[k] !== 'string') continue;
    const text = formatPath(rel.slice(k));
    if (text.length <= 60) return text;
  }
  return formatPath(rel);
}

/** The volumes' own problems; returns the names of the volumes the server accepts (what mounts may name). */
function volumes(spec: Record<string, unknown>, add: Add, replaced: ReadonlySet<string>): Map<string, Record<string, unknown>> {
  const valid = new Map<string, Record<string, unknown>>();
  const seen = new Set<string>();
  arr(spec.volumes).forEach((v, i) => {
    if (!isRecord(v) || (typeof v.name === 'string' && replaced.has(v.name))) return;
    const base: Path = ['volumes', i];
    let bad = false;
    const fault: Add = (rel, problem) => {
      bad = true;
      add(rel, problem);
    };
    const name = str(v.name);
    if (name === '') fault([...base, 'name'], 'is empty; a volume needs a name');
    else if (name !== undefined && !isDNS1123Label(name)) fault([...base, 'name'], `${code(name)} is not a DNS label: it ${list(dns1123LabelProblems(name))}`);
    if (name !== undefined && seen.has(name)) fault([...base, 'name'], `${code(name)} is already the name of another volume of this pod`);
    if (name !== undefined) seen.add(name);
    const sources = VOLUME_SOURCES.filter((s) => set(v[s]));
    if (sources.length > 1) fault(base, `sets ${list(sources.map((s) => code(s)))}; a volume has exactly one source`);
    else if (sources.length === 1) source(v, sources[0]!, base, fault);
    if (!bad && name !== undefined) valid.set(name, v);
  });
  return valid;
}

function source(v: Record<string, unknown>, kind: string, base: Path, add: Add): void {
  const s = v[kind];
  const at: Path = [...base, kind];
  if (!isRecord(s)) return;
  const required = (field: string, what: string) => {
    const x = s[field];
    if (x === undefined || x === null) add(at, `has no ${code(field)}; ${what}`);
    else if (x === '') add([...at, field], `is empty; ${what}`);
  };
  const mode = (field: string, m: Record<string, unknown> = s, p: Path = at) => {
    const problem = modeProblem(m[field]);
    if (problem) add([...p, field], problem);
  };
  switch (kind) {
    case 'configMap':
      required('name', 'a configMap volume names its ConfigMap');
      mode('defaultMode');
      items(s.items, [...at, 'items'], add);
      break;
    case 'secret':
      required('secretName', 'a secret volume names its Secret');
      mode('defaultMode');
      items(s.items, [...at, 'items'], add);
      break;
    case 'persistentVolumeClaim':
      if (s.claimName === '') add([...at, 'claimName'], 'is empty; the volume names a PersistentVolumeClaim');
      break;
    case 'hostPath': {
      const p = str(s.path);
      if (p === '') add([...at, 'path'], 'is empty; a hostPath volume names a path on the node');
      else if (p !== undefined && p.replace(/\\/g, '/').split('/').includes('..')) add([...at, 'path'], `${code(p)} must not contain \`..\``);
      else if (typeof s.type === 'string' && !HOST_PATH_TYPES.includes(s.type)) add([...at, 'type'], `${code(s.type)} is not one of ${list(HOST_PATH_TYPES.filter(Boolean).map((t) => code(t)), 8)}`);
      break;
    }
    case 'downwardAPI':
      mode('defaultMode');
      arr(s.items).forEach((f, j) => downwardFile(f, [...at, 'items', j], add));
      break;
    case 'projected':
      mode('defaultMode');
      projected(s, at, add);
      break;
  }
}

/** `items` of a configMap or secret volume (or projection): key, path and mode of each. */
function items(raw: unknown, at: Path, add: Add, paths?: Set<string>): void {
  arr(raw).forEach((kp, j) => {
    if (!isRecord(kp)) return;
    const p: Path = [...at, j];
    if (kp.key === '') add([...p, 'key'], 'is empty; an item names a key');
    itemPath(kp.path, p, add, paths);
    const problem = modeProblem(kp.mode);
    if (problem) add([...p, 'mode'], problem);
  });
}

/** The file an item becomes: a relative path without `..`, once per projected volume. */
function itemPath(raw: unknown, p: Path, add: Add, paths?: Set<string>): void {
  const path = str(raw);
  if (path === '') add([...p, 'path'], 'is empty; an item names the file it becomes');
  else if (path !== undefined) {
    const problem = localPathProblem(path, true);
    if (problem) add([...p, 'path'], `${code(path)} ${problem}`);
    if (paths) {
      if (paths.has(path)) add(p, `puts a second file at ${code(path)}; the sources of a projected volume must not repeat a path`);
      paths.add(path);
    }
  }
}

function downwardFile(f: unknown, p: Path, add: Add, paths?: Set<string>): void {
  if (!isRecord(f)) return;
  itemPath(f.path, p, add, paths);
  if (set(f.fieldRef)) {
    fieldRef(f.fieldRef, [...p, 'fieldRef'], VOLUME_FIELD_PATHS, add);
    if (set(f.resourceFieldRef)) add(p, 'sets both `fieldRef` and `resourceFieldRef`; an item takes one');
  } else if (set(f.resourceFieldRef)) {
    resourceFieldRef(f.resourceFieldRef, [...p, 'resourceFieldRef'], true, add);
  } else add(p, 'sets neither `fieldRef` nor `resourceFieldRef`; an item takes one');
  const problem = modeProblem(f.mode);
  if (problem) add([...p, 'mode'], problem);
}

function projected(s: Record<string, unknown>, at: Path, add: Add): void {
  const paths = new Set<string>();
  arr(s.sources).forEach((src, i) => {
    if (!isRecord(src)) return;
    const p: Path = [...at, 'sources', i];
    for (const kind of ['secret', 'configMap'] as const) {
      const x = src[kind];
      if (!isRecord(x)) continue;
      if (x.name === undefined || x.name === null || x.name === '') add(x.name === '' ? [...p, kind, 'name'] : [...p, kind], `has no \`name\`; a projected ${kind} source names its ${kind === 'secret' ? 'Secret' : 'ConfigMap'}`);
      items(x.items, [...p, kind, 'items'], add, paths);
    }
    if (isRecord(src.downwardAPI)) arr(src.downwardAPI.items).forEach((f, j) => downwardFile(f, [...p, 'downwardAPI', 'items', j], add, paths));
    const token = src.serviceAccountToken;
    if (isRecord(token)) {
      const exp = token.expirationSeconds;
      // An unset expiration is defaulted to an hour; an explicit 0 is not.
      if (typeof exp === 'number' && exp < 600) add([...p, 'serviceAccountToken', 'expirationSeconds'], `${code(exp)} is less than 10 minutes (600), the shortest token the API server issues`);
      else if (typeof exp === 'number' && exp > 2 ** 32) add([...p, 'serviceAccountToken', 'expirationSeconds'], `${code(exp)} is more than 2^32 seconds`);
      const tp = str(token.path);
      if (tp === '') add([...p, 'serviceAccountToken', 'path'], 'is empty; the token is written to a file of the volume');
      else if (tp !== undefined) {
        const problem = localPathProblem(tp, true);
        if (problem) add([...p, 'serviceAccountToken', 'path'], `${code(tp)} ${problem}`);
      }
    }
  });
}

/** A downward API field reference: the v1 field labels, then the ones env (or a volume) may read. */
function fieldRef(ref: unknown, p: Path, allowed: string[], add: Add): void {
  if (!isRecord(ref)) return;
  const version = ref.apiVersion;
  if (typeof version === 'string' && version !== '' && version !== 'v1') return add(p, `names API version ${code(version)}; the downward API has only \`v1\``);
  const fp = str(ref.fieldPath);
  if (fp === undefined) return;
  if (fp === '') return add([...p, 'fieldPath'], 'is empty; it names the field of the pod to read');
  const sub = /^(.+?)\['(.*)'\]$/s.exec(fp);
  if (sub) {
    if (sub[1] !== 'metadata.labels' && sub[1] !== 'metadata.annotations') return add([...p, 'fieldPath'], `${code(fp)}: only \`metadata.labels\` and \`metadata.annotations\` take a subscript`);
    const key = sub[1] === 'metadata.annotations' ? sub[2]!.toLowerCase() : sub[2]!;
    const problems = qualifiedNameProblems(key);
    if (problems.length) add([...p, 'fieldPath'], `${code(fp)}: ${code(sub[2]!)} is not a valid ${sub[1] === 'metadata.labels' ? 'label' : 'annotation'} key: it ${list(problems)}`);
    return;
  }
  if (!FIELD_LABELS.has(fp)) {
    const hint = /^metadata\.(labels|annotations)\.(.+)$/.exec(fp);
    return add([...p, 'fieldPath'], `${code(fp)} is not a field the downward API reads${hint ? `; write ${code(`metadata.${hint[1]}['${hint[2]}']`)}` : `: it reads ${list(allowed.map((a) => code(a)), 12)}`}`);
  }
  const label = fp === 'spec.host' ? 'spec.nodeName' : fp;
  if (!allowed.includes(label)) add([...p, 'fieldPath'], `${code(fp)} is not one of the fields ${allowed === ENV_FIELD_PATHS ? 'an environment variable' : 'a volume'} can read: ${list(allowed.map((a) => code(a)), 12)}`);
}

function resourceFieldRef(ref: unknown, p: Path, volume: boolean, add: Add): void {
  if (!isRecord(ref)) return;
  if (volume && (ref.containerName === undefined || ref.containerName === null || ref.containerName === '')) return add(ref.containerName === '' ? [...p, 'containerName'] : p, 'has no `containerName`; in a volume it names the container whose resources are read');
  const r = str(ref.resource);
  if (r === '') return add([...p, 'resource'], 'is empty; it names the resource to read');
  if (r !== undefined && !RESOURCE_FIELDS.includes(r) && !r.startsWith('requests.hugepages-') && !r.startsWith('limits.hugepages-')) {
    add([...p, 'resource'], `${code(r)} is not one of ${list(RESOURCE_FIELDS.map((x) => code(x)), 8)}`);
  }
}

function mounts(c: Record<string, unknown>, base: Path, valid: Map<string, Record<string, unknown>>, all: Set<string>, add: Add): void {
  const paths = new Set<string>();
  const privileged = isRecord(c.securityContext) && c.securityContext.privileged === true;
  arr(c.volumeMounts).forEach((m, j) => {
    if (!isRecord(m)) return;
    const p: Path = [...base, 'volumeMounts', j];
    const name = str(m.name);
    if (name === '') add([...p, 'name'], 'is empty; a mount names a volume of the pod');
    // A mount of a volume that is itself rejected is reported by the server too ("Not found"); the
    // volume's own error says why, once.
    else if (name !== undefined && !valid.has(name) && !all.has(name)) {
      const names = [...valid.keys()];
      const near = names.filter((n) => editDistance(n, name, 3) <= 2);
      add([...p, 'name'], `${code(name)} names no volume of the pod${near.length ? `; did you mean ${code(near[0]!)}?` : names.length ? ` (it has ${list(names.map((n) => code(n)))})` : ' (it has none)'}`);
    }
    const mp = str(m.mountPath);
    if (mp === '') add([...p, 'mountPath'], 'is empty; a mount needs a path');
    else if (mp !== undefined) {
      if (paths.has(mp)) add([...p, 'mountPath'], `${code(mp)} is already the mountPath of another mount of this container`);
      paths.add(mp);
    }
    const sub = str(m.subPath);
    if (sub) {
      const problem = localPathProblem(sub, false);
      if (problem) add([...p, 'subPath'], `${code(sub)} ${problem}`);
    }
    const expr = str(m.subPathExpr);
    if (expr) {
      if (sub) add([...p, 'subPathExpr'], 'is set beside `subPath`; they are mutually exclusive');
      const problem = localPathProblem(expr, false);
      if (problem) add([...p, 'subPathExpr'], `${code(expr)} ${problem}`);
    }
    const prop = str(m.mountPropagation);
    if (prop !== undefined) {
      if (!PROPAGATIONS.includes(prop)) add([...p, 'mountPropagation'], `${code(prop)} is not one of ${list(PROPAGATIONS.map((x) => code(x)))}`);
      else if (prop === 'Bidirectional' && !privileged) add([...p, 'mountPropagation'], '`Bidirectional` is available only to privileged containers (`securityContext.privileged: true`)');
    }
  });
}

function env(c: Record<string, unknown>, base: Path, add: Add): void {
  arr(c.env).forEach((e, j) => {
    if (!isRecord(e)) return;
    const p: Path = [...base, 'env', j];
    const name = str(e.name);
    if (name === '') add([...p, 'name'], 'is empty; an environment variable needs a name');
    else if (name !== undefined) {
      const problem = envNameProblem(name);
      if (problem) add([...p, 'name'], `${code(name)} ${problem}`);
    }
    const from = e.valueFrom;
    if (!isRecord(from)) return;
    const vp: Path = [...p, 'valueFrom'];
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((s) => set(from[s]));
    if (isRecord(from.fieldRef)) fieldRef(from.fieldRef, [...vp, 'fieldRef'], ENV_FIELD_PATHS, add);
    if (isRecord(from.resourceFieldRef)) resourceFieldRef(from.resourceFieldRef, [...vp, 'resourceFieldRef'], false, add);
    for (const kind of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const ref = from[kind];
      if (!isRecord(ref)) continue;
      const n = ref.name;
      if (n === undefined || n === null || (typeof n === 'string' && !isDNS1123Subdomain(n))) {
        add(typeof n === 'string' ? [...vp, kind, 'name'] : [...vp, kind], typeof n === 'string' ? `${code(n)} is not a valid ${kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} name (a lowercase DNS subdomain)` : `has no \`name\`; it names the ${kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} to read`);
      }
      const k = str(ref.key);
      if (k === '') add([...vp, kind, 'key'], 'is empty; it names the key to read');
      else if (k !== undefined) {
        const problem = configKeyProblem(k);
        if (problem) add([...vp, kind, 'key'], `${code(k)} ${problem}`);
      }
    }
    const value = str(e.value);
    if (sources.length === 0) add(vp, 'sets no source; it takes one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef`');
    else if (value) add(vp, `is set beside \`value\` ${code(value)}; an environment variable takes one or the other`);
    else if (sources.length > 1) add(vp, `sets ${list(sources.map((s) => code(s)))}; it takes one source`);
  });
}

function envFrom(c: Record<string, unknown>, base: Path, add: Add): void {
  arr(c.envFrom).forEach((e, j) => {
    if (!isRecord(e)) return;
    const p: Path = [...base, 'envFrom', j];
    const prefix = str(e.prefix);
    if (prefix) {
      const problem = envNameProblem(prefix);
      if (problem) add([...p, 'prefix'], `${code(prefix)} ${problem.replace('environment variable name', 'prefix of environment variable names')}`);
    }
    const sources = (['configMapRef', 'secretRef'] as const).filter((s) => set(e[s]));
    for (const kind of sources) {
      const ref = e[kind];
      if (!isRecord(ref)) continue;
      const n = ref.name;
      const what = kind === 'secretRef' ? 'Secret' : 'ConfigMap';
      if (n === undefined || n === null || n === '') add(n === '' ? [...p, kind, 'name'] : [...p, kind], `has no \`name\`; it names the ${what} to read`);
      // Names are checked as prefixes: a trailing `-` passes.
      else if (typeof n === 'string' && !isDNS1123Subdomain(`${n}a`)) add([...p, kind, 'name'], `${code(n)} is not a valid ${what} name (a lowercase DNS subdomain)`);
    }
    if (sources.length === 0) add(p, 'sets neither `configMapRef` nor `secretRef`; it takes one');
    else if (sources.length > 1) add(p, 'sets both `configMapRef` and `secretRef`; each envFrom entry takes one (write two entries)');
  });
}
