import { isRecord } from '../load/objects.js';
import type { Path } from '../types/object.js';
import { code } from '../text.js';

/**
 * The Pod Security Standards as the API server's PodSecurity admission checks a pod
 * (k8s.io/pod-security-admission `policy`): the baseline checks, and the restricted ones on
 * top of them. Only what a pod template can say is read (no ephemeral containers). Where a
 * check's allowed values grew with the Kubernetes version (sysctls, SELinux types), the
 * newest list is used: an older cluster may refuse more, never less.
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface PodSecurityViolation {
  /** The API server's words for the check (`allowPrivilegeEscalation != false`). */
  reason: string;
  /** What to change, in the API server's words. */
  detail: string;
  /** Where in the pod (relative to the pod template: `spec`, `metadata`): the field, or the container that leaves it out. */
  path: Path;
}

const CAPS_BASELINE = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
/** The sysctls the kubelet and Pod Security take as safe (namespaced, isolated): the newest list. */
export const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

/** The level a namespace enforces (`pod-security.kubernetes.io/enforce`) and the version it pins, where its labels say so. */
export function enforcedLevel(labels: unknown): { level: PodSecurityLevel; version: string; label: string } | undefined {
  if (!isRecord(labels)) return undefined;
  const level = labels['pod-security.kubernetes.io/enforce'];
  if (level !== 'privileged' && level !== 'baseline' && level !== 'restricted') return undefined;
  const v = labels['pod-security.kubernetes.io/enforce-version'];
  return { level, version: typeof v === 'string' && v !== '' ? v : 'latest', label: 'pod-security.kubernetes.io/enforce' };
}

/** A pinned version as [major, minor], or undefined for `latest` (and what cannot be read). */
function pinned(version: string): [number, number] | undefined {
  const m = /^v(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const quote = (xs: Iterable<string>) => [...xs].map((x) => code(x)).join(', ');
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
const containersWord = (names: string[]) => `${plural(names.length, 'container', 'containers')} ${quote(names)}`;

interface Visited {
  c: Record<string, unknown>;
  name: string;
  path: Path;
  sc: Record<string, unknown> | undefined;
}

/**
 * What the PodSecurity admission of a namespace enforcing `level` (at `version`) refuses in
 * a pod, in the order the API server lists its checks; empty when it admits the pod.
 */
export function podSecurityViolations(spec: Record<string, unknown>, level: PodSecurityLevel, version = 'latest'): PodSecurityViolation[] {
  if (level === 'privileged') return [];
  const v = pinned(version);
  const atLeast = (major: number, minor: number) => !v || v[0] > major || (v[0] === major && v[1] >= minor);
  const out: PodSecurityViolation[] = [];
  const containers: Visited[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isRecord(c)) return;
      containers.push({ c, name: typeof c.name === 'string' ? c.name : '', path: ['spec', field, i], sc: isRecord(c.securityContext) ? c.securityContext : undefined });
    });
  }
  const psc = isRecord(spec.securityContext) ? spec.securityContext : undefined;
  const windows = isRecord(spec.os) && spec.os.name === 'windows';
  const userNamespace = spec.hostUsers === false;
  const scField = (x: Visited, f: string): Path => (x.sc && f in x.sc ? [...x.path, 'securityContext', f] : x.path);
  const restricted = level === 'restricted';

  // Baseline.
  const hostNs = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => spec[f] === true);
  if (hostNs.length) out.push({ reason: 'host namespaces', detail: hostNs.map((f) => `${f}=true`).join(', '), path: ['spec', hostNs[0]!] });

  const privileged = containers.filter((x) => x.sc?.privileged === true);
  if (privileged.length) out.push({ reason: 'privileged', detail: `${containersWord(privileged.map((x) => x.name))} must not set securityContext.privileged=true`, path: [...privileged[0]!.path, 'securityContext', 'privileged'] });

  if (!restricted) {
    const bad: Visited[] = [];
    const caps = new Set<string>();
    for (const x of containers) {
      const add = isRecord(x.sc?.capabilities) ? x.sc.capabilities.add : undefined;
      const extra = Array.isArray(add) ? add.filter((a): a is string => typeof a === 'string' && !CAPS_BASELINE.has(a)) : [];
      if (extra.length) {
        bad.push(x);
        extra.forEach((a) => caps.add(a));
      }
    }
    if (bad.length) out.push({ reason: 'non-default capabilities', detail: `${containersWord(bad.map((x) => x.name))} must not include ${quote([...caps].sort())} in securityContext.capabilities.add`, path: [...bad[0]!.path, 'securityContext', 'capabilities', 'add'] });
  }

  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  if (!restricted) {
    const host = volumes.map((vol, i) => ({ vol, i })).filter(({ vol }) => isRecord(vol) && vol.hostPath != null);
    if (host.length) out.push({ reason: 'hostPath volumes', detail: `${plural(host.length, 'volume', 'volumes')} ${quote(host.map(({ vol }) => String((vol as Record<string, unknown>).name ?? '')))}`, path: ['spec', 'volumes', host[0]!.i, 'hostPath'] });
  }

  const hostPorts: { x: Visited; port: number; path: Path }[] = [];
  for (const x of containers) {
    (Array.isArray(x.c.ports) ? x.c.ports : []).forEach((p, i) => {
      if (!isRecord(p)) return;
      // A pod on the host's network has each port's hostPort defaulted to its containerPort (SetDefaults_PodSpec).
      const port = typeof p.hostPort === 'number' && p.hostPort !== 0 ? p.hostPort : spec.hostNetwork === true && typeof p.containerPort === 'number' ? p.containerPort : 0;
      if (port !== 0) hostPorts.push({ x, port, path: [...x.path, 'ports', i, port === p.hostPort ? 'hostPort' : 'containerPort'] });
    });
  }
  if (hostPorts.length) {
    const names = [...new Set(hostPorts.map((h) => h.x.name))];
    const ports = [...new Set(hostPorts.map((h) => String(h.port)))].sort();
    out.push({ reason: 'hostPort', detail: `${containersWord(names)} ${plural(names.length, 'uses', 'use')} ${plural(ports.length, 'hostPort', 'hostPorts')} ${ports.join(', ')}`, path: hostPorts[0]!.path });
  }

  // AppArmor: a profile type other than RuntimeDefault or Localhost, at the pod or a container.
  const armorBad = (p: unknown) => isRecord(p) && p.type !== 'RuntimeDefault' && p.type !== 'Localhost';
  const armor: Path[] = [];
  if (armorBad(psc?.appArmorProfile)) armor.push(['spec', 'securityContext', 'appArmorProfile', 'type']);
  for (const x of containers) if (armorBad(x.sc?.appArmorProfile)) armor.push([...x.path, 'securityContext', 'appArmorProfile', 'type']);
  if (armor.length) out.push({ reason: 'forbidden AppArmor profile', detail: 'AppArmor profile type must be `RuntimeDefault` or `Localhost`', path: armor[0]! });

  // SELinux: a type outside the allowed ones, or a user or role.
  const seBad = (o: unknown) => isRecord(o) && (!SELINUX_TYPES.has(typeof o.type === 'string' ? o.type : '') || (typeof o.user === 'string' && o.user !== '') || (typeof o.role === 'string' && o.role !== ''));
  const se: Path[] = [];
  if (seBad(psc?.seLinuxOptions)) se.push(['spec', 'securityContext', 'seLinuxOptions']);
  for (const x of containers) if (seBad(x.sc?.seLinuxOptions)) se.push([...x.path, 'securityContext', 'seLinuxOptions']);
  if (se.length) out.push({ reason: 'seLinuxOptions', detail: 'SELinux type, user and role must not be set (a type only among container_t, container_init_t, container_kvm_t, container_engine_t)', path: se[0]! });

  if (!userNamespace) {
    const proc = containers.filter((x) => typeof x.sc?.procMount === 'string' && x.sc.procMount !== 'Default');
    if (proc.length) out.push({ reason: 'procMount', detail: `${containersWord(proc.map((x) => x.name))} must not set securityContext.procMount to ${quote(new Set(proc.map((x) => String(x.sc!.procMount))))}`, path: [...proc[0]!.path, 'securityContext', 'procMount'] });
  }

  // Seccomp: baseline refuses an explicit Unconfined (type other than RuntimeDefault or Localhost); restricted also requires one.
  const seccompType = (sc: Record<string, unknown> | undefined) => (isRecord(sc?.seccompProfile) ? sc.seccompProfile.type : undefined);
  const seccompOk = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  if (!(restricted && windows)) {
    const podSet = isRecord(psc?.seccompProfile);
    const badSetters: Path[] = [];
    const badValues = new Set<string>();
    if (podSet && !seccompOk(seccompType(psc))) {
      badSetters.push(['spec', 'securityContext', 'seccompProfile', 'type']);
      badValues.add(String(seccompType(psc) ?? ''));
    }
    const implicit: Visited[] = [];
    for (const x of containers) {
      if (isRecord(x.sc?.seccompProfile)) {
        if (!seccompOk(seccompType(x.sc))) {
          badSetters.push([...x.path, 'securityContext', 'seccompProfile', 'type']);
          badValues.add(String(seccompType(x.sc) ?? ''));
        }
      } else if (!(podSet && seccompOk(seccompType(psc)))) implicit.push(x);
    }
    if (badSetters.length) out.push({ reason: 'seccompProfile', detail: `securityContext.seccompProfile.type must not be ${quote([...badValues].sort())}`, path: badSetters[0]! });
    else if (restricted && implicit.length) out.push({ reason: 'seccompProfile', detail: `pod or ${containersWord(implicit.map((x) => x.name))} must set securityContext.seccompProfile.type to \`RuntimeDefault\` or \`Localhost\``, path: implicit[0]!.path });
  }

  const sysctls = Array.isArray(psc?.sysctls) ? psc.sysctls : [];
  const badSysctls = sysctls.map((s, i) => ({ s, i })).filter(({ s }) => isRecord(s) && typeof s.name === 'string' && !SAFE_SYSCTLS.has(s.name));
  if (badSysctls.length) out.push({ reason: 'forbidden sysctls', detail: badSysctls.map(({ s }) => String((s as Record<string, unknown>).name)).join(', '), path: ['spec', 'securityContext', 'sysctls', badSysctls[0]!.i, 'name'] });

  if (!restricted) return out;

  // Restricted.
  // A volume that names no source is defaulted to an emptyDir (SetDefaults_Volume).
  const volBad = volumes.map((vol, i) => ({ vol, i })).filter(({ vol }) => isRecord(vol) && Object.keys(vol).some((k) => k !== 'name' && vol[k] != null) && !Object.keys(vol).some((k) => RESTRICTED_VOLUMES.has(k) && vol[k] != null));
  if (volBad.length) {
    const types = new Set(volBad.map(({ vol }) => Object.keys(vol as Record<string, unknown>).find((k) => k !== 'name' && (vol as Record<string, unknown>)[k] != null) ?? 'unknown'));
    out.push({ reason: 'restricted volume types', detail: `${plural(volBad.length, 'volume', 'volumes')} ${quote(volBad.map(({ vol }) => String((vol as Record<string, unknown>).name ?? '')))} ${plural(volBad.length, 'uses', 'use')} restricted volume ${plural(types.size, 'type', 'types')} ${quote([...types].sort())}`, path: ['spec', 'volumes', volBad[0]!.i] });
  }

  if (!windows) {
    const escalating = containers.filter((x) => x.sc?.allowPrivilegeEscalation !== false);
    if (escalating.length) out.push({ reason: 'allowPrivilegeEscalation != false', detail: `${containersWord(escalating.map((x) => x.name))} must set securityContext.allowPrivilegeEscalation=false`, path: scField(escalating[0]!, 'allowPrivilegeEscalation') });
  }

  if (!windows && atLeast(1, 22)) {
    const noDrop: Visited[] = [];
    const adding: Visited[] = [];
    const caps = new Set<string>();
    for (const x of containers) {
      const c = isRecord(x.sc?.capabilities) ? x.sc.capabilities : undefined;
      if (!c || !(Array.isArray(c.drop) && c.drop.includes('ALL'))) noDrop.push(x);
      const extra = c && Array.isArray(c.add) ? c.add.filter((a): a is string => typeof a === 'string' && a !== 'NET_BIND_SERVICE') : [];
      if (extra.length) {
        adding.push(x);
        extra.forEach((a) => caps.add(a));
      }
    }
    const details = [
      ...(noDrop.length ? [`${containersWord(noDrop.map((x) => x.name))} must set securityContext.capabilities.drop: [ALL]`] : []),
      ...(adding.length ? [`${containersWord(adding.map((x) => x.name))} must not include ${quote([...caps].sort())} in securityContext.capabilities.add`] : []),
    ];
    if (details.length) out.push({ reason: 'unrestricted capabilities', detail: details.join('; '), path: noDrop.length ? scField(noDrop[0]!, 'capabilities') : [...adding[0]!.path, 'securityContext', 'capabilities', 'add'] });
  }

  if (!userNamespace) {
    const podNonRoot = psc?.runAsNonRoot;
    const explicit = containers.filter((x) => x.sc?.runAsNonRoot === false);
    const implicit = containers.filter((x) => typeof x.sc?.runAsNonRoot !== 'boolean' && podNonRoot !== true);
    if (podNonRoot === false || explicit.length) {
      out.push({ reason: 'runAsNonRoot != true', detail: `${[...(podNonRoot === false ? ['pod'] : []), ...(explicit.length ? [containersWord(explicit.map((x) => x.name))] : [])].join(' and ')} must not set securityContext.runAsNonRoot=false`, path: podNonRoot === false ? ['spec', 'securityContext', 'runAsNonRoot'] : [...explicit[0]!.path, 'securityContext', 'runAsNonRoot'] });
    } else if (implicit.length) {
      out.push({ reason: 'runAsNonRoot != true', detail: `pod or ${containersWord(implicit.map((x) => x.name))} must set securityContext.runAsNonRoot=true`, path: implicit[0]!.path });
    }
    if (atLeast(1, 23)) {
      const zero = containers.filter((x) => x.sc?.runAsUser === 0);
      if (psc?.runAsUser === 0 || zero.length) out.push({ reason: 'runAsUser=0', detail: `${[...(psc?.runAsUser === 0 ? ['pod'] : []), ...(zero.length ? [containersWord(zero.map((x) => x.name))] : [])].join(' and ')} must not set runAsUser=0`, path: psc?.runAsUser === 0 ? ['spec', 'securityContext', 'runAsUser'] : [...zero[0]!.path, 'securityContext', 'runAsUser'] });
    }
  }
  return out;
}
