import type { K8sObject, Path } from '../types/object.js';
import type { ParsedFile } from './parse.js';

/** Kinds that have no namespace. Only kinds svclint may meet next to Services matter here. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'IngressClass', 'PriorityClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'PodSecurityPolicy', 'GatewayClass', 'ClusterIssuer',
  'CertificateSigningRequest', 'ComponentStatus',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export interface ObjectOptions {
  /** Namespace of objects that do not set metadata.namespace. */
  defaultNamespace: string;
  /**
   * Whether the run was told the namespace (`--namespace`, the config's `namespace`). Without
   * it, Helm renders `.Release.Namespace` as `default` (its fallback): a chart's object whose
   * namespace is that is placed by `helm install -n`, not by the chart.
   */
  namespaceGiven?: boolean;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function looksLikeObject(v: unknown): v is Record<string, unknown> & { kind: string } {
  return isRecord(v) && typeof v.kind === 'string' && v.kind !== '' && (typeof v.apiVersion === 'string' || v.apiVersion === undefined);
}

/**
 * Turns parsed documents into Kubernetes objects with resolved namespaces.
 * Documents that are not Kubernetes objects (no apiVersion/kind) are skipped: pre-commit
 * hands us every YAML file of a repository. `*List` kinds are expanded into their items.
 */
export function toObjects(files: ParsedFile[], opts: ObjectOptions, firstId = 0): K8sObject[] {
  const out: K8sObject[] = [];
  let id = firstId;
  const push = (body: Record<string, unknown> & { kind: string }, file: ParsedFile, d: ParsedFile['docs'][number], base: Path) => {
    const meta = isRecord(body.metadata) ? body.metadata : {};
    const rawNs = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
    const scoped = isClusterScoped(body.kind);
    const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name
      : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '<unnamed>';
    out.push({
      id: id++,
      apiVersion: typeof body.apiVersion === 'string' ? body.apiVersion : '',
      kind: body.kind,
      name,
      namespace: scoped ? '' : rawNs ?? opts.defaultNamespace,
      namespaceDefaulted: !scoped && (rawNs === undefined || (!opts.namespaceGiven && file.file.rendered === 'helm' && rawNs === opts.defaultNamespace)),
      body,
      origin: { file: file.file, base, docIndex: d.index, docRange: d.range },
    });
  };
  for (const file of files) {
    for (const d of file.docs) {
      const v = d.value;
      if (!looksLikeObject(v) || typeof v.apiVersion !== 'string') continue;
      if (v.kind.endsWith('List') && Array.isArray(v.items)) {
        v.items.forEach((item, i) => {
          if (looksLikeObject(item)) push(item, file, d, ['items', i]);
        });
        continue;
      }
      push(v, file, d, []);
    }
  }
  return out;
}

/** Objects read from a cluster: plain values with no file behind them. */
export function toLiveObjects(items: Record<string, unknown>[], firstId = 0): K8sObject[] {
  const out: K8sObject[] = [];
  const seen = new Set<string>();
  let id = firstId;
  for (const body of items) {
    if (!looksLikeObject(body) || typeof body.apiVersion !== 'string') continue;
    const meta = isRecord(body.metadata) ? body.metadata : {};
    const uid = typeof meta.uid === 'string' ? meta.uid : undefined;
    if (uid && seen.has(uid)) continue; // read twice (a DNS look-up and a list)
    if (uid) seen.add(uid);
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    out.push({
      id: id++,
      apiVersion: body.apiVersion,
      kind: body.kind,
      name: typeof meta.name === 'string' ? meta.name : '<unnamed>',
      namespace: isClusterScoped(body.kind) ? '' : ns,
      namespaceDefaulted: false,
      body,
    });
  }
  return out;
}
