import type { K8sObject } from '../types/object.js';
import type { GraphSettings, NotReadyReason, PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import type { LoadProblem } from '../types/problem.js';
import type { SourceFile } from '../types/source.js';
import { isRecord } from '../objects.js';
import { extractTemplate, getIn, lenientInt, notReadyReasons, stringMap } from './pods.js';
import { findPort, readTargetPort } from './findport.js';

const pairKey = (k: string, v: string) => `${k}\u0000${v}`;

/** Label index: namespace → "key=value" → templates. Selection intersects the smallest list. */
class LabelIndex {
  private byNs = new Map<string, Map<string, PodTemplate[]>>();
  private all = new Map<string, PodTemplate[]>();
  private nsTemplates = new Map<string, PodTemplate[]>();

  add(t: PodTemplate): void {
    let ns = this.byNs.get(t.namespace);
    if (!ns) this.byNs.set(t.namespace, (ns = new Map()));
    let list = this.nsTemplates.get(t.namespace);
    if (!list) this.nsTemplates.set(t.namespace, (list = []));
    list.push(t);
    for (const [k, v] of Object.entries(t.labels)) {
      const key = pairKey(k, v);
      push(ns, key, t);
      push(this.all, key, t);
    }
  }

  in(namespace: string): readonly PodTemplate[] {
    return this.nsTemplates.get(namespace) ?? [];
  }

  select(index: Map<string, PodTemplate[]> | undefined, selector: Record<string, string>): PodTemplate[] {
    const entries = Object.entries(selector);
    if (!index || entries.length === 0) return [];
    let smallest: PodTemplate[] | undefined;
    for (const [k, v] of entries) {
      const list = index.get(pairKey(k, v));
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return smallest!.filter((t) => entries.every(([k, v]) => t.labels[k] === v));
  }

  selectIn(namespace: string, selector: Record<string, string>): PodTemplate[] {
    return this.select(this.byNs.get(namespace), selector);
  }

  selectAnywhere(selector: Record<string, string>): PodTemplate[] {
    return this.select(this.all, selector);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * Builds the one graph of a run: every Service with the pod templates its selector picks
 * (same resolved namespace, template labels), FindPort per port and template, and the
 * hand-written endpoints of selectorless Services.
 */
export function buildGraph(objects: K8sObject[], settings: GraphSettings, loadProblems: LoadProblem[] = [], files: SourceFile[] = []): ServiceGraph {
  const index = new LabelIndex();
  const templates: PodTemplate[] = [];
  const serviceObjects: K8sObject[] = [];
  const endpoints = new Map<string, K8sObject[]>();
  for (const o of objects) {
    if (o.kind === 'Service' && isCoreV1(o)) {
      serviceObjects.push(o);
      continue;
    }
    if (o.kind === 'Endpoints' && isCoreV1(o)) {
      push(endpoints, `${o.namespace}/${o.name}`, o);
      continue;
    }
    if (o.kind === 'EndpointSlice') {
      const owner = getIn(o.body, ['metadata', 'labels', 'kubernetes.io/service-name']);
      if (typeof owner === 'string') push(endpoints, `${o.namespace}/${owner}`, o);
      continue;
    }
    const t = extractTemplate(o, templates.length);
    if (t) {
      templates.push(t);
      index.add(t);
    }
  }
  const services = serviceObjects.map((o) => serviceNode(o, index, endpoints));
  const reasons = new Map<PodTemplate, NotReadyReason[]>();
  return {
    settings,
    files,
    objects,
    loadProblems,
    services,
    templates,
    templatesIn: (ns) => index.in(ns),
    select: (ns, sel) => index.selectIn(ns, sel),
    selectAnywhere: (sel) => index.selectAnywhere(sel),
    notReadyReasons: (t) => {
      let r = reasons.get(t);
      if (!r) reasons.set(t, (r = notReadyReasons(t)));
      return r;
    },
  };
}

function isCoreV1(o: K8sObject): boolean {
  return o.apiVersion === 'v1';
}

function serviceNode(o: K8sObject, index: LabelIndex, endpoints: Map<string, K8sObject[]>): ServiceNode {
  const spec = isRecord(o.body.spec) ? o.body.spec : {};
  const type = typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
  const clusterIP = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
  const selector = stringMap(spec.selector);
  const mode = type === 'ExternalName' ? 'external-name' : Object.keys(selector).length > 0 ? 'selector' : 'manual';
  const backends = mode === 'selector' ? index.selectIn(o.namespace, selector) : [];
  const ports: ServicePortNode[] = [];
  if (Array.isArray(spec.ports)) {
    spec.ports.forEach((p, i) => {
      if (!isRecord(p)) return;
      const path = ['spec', 'ports', i];
      const port = lenientInt(p.port);
      const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
      const { target, path: targetPath } = readTargetPort(p.targetPort, port, path);
      ports.push({
        index: i,
        path,
        name: typeof p.name === 'string' && p.name !== '' ? p.name : undefined,
        port,
        protocol,
        target,
        targetPath,
        resolutions: mode === 'external-name' ? [] : backends.map((t) => findPort(t, target, protocol)),
      });
    });
  }
  return {
    object: o,
    type,
    headless: clusterIP === 'None',
    clusterIP,
    externalName: typeof spec.externalName === 'string' ? spec.externalName : undefined,
    mode,
    selector,
    selectorPath: ['spec', 'selector'],
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
    backends,
    ports,
    manualEndpoints: mode === 'manual' ? endpoints.get(`${o.namespace}/${o.name}`) ?? [] : [],
  };
}
