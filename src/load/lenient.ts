import { isRecord } from './objects.js';

/**
 * What a document of a file that failed to load (a repeated key) tells when read leniently,
 * keys kept and the last one winning: its kind and, when it has metadata, its namespace,
 * name and pod labels (the string ones: a label compared with a string equals only a
 * string). Findings about what the run lacks name such a file as where it may be
 * (engine/rule-kit.ts). Plain data: it crosses parser threads and the parse cache.
 */
export type DocSummary = { kind: string; meta?: { namespace?: string; name: string; podLabels?: [string, string][] } } | null;

/** Where each kind keeps the labels of the pods it makes. */
const POD_LABELS_AT: Record<string, string[]> = {
  Pod: ['metadata', 'labels'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'],
};
const TEMPLATE_LABELS = ['spec', 'template', 'metadata', 'labels'];

/** A document's summary: null when it is not an object with a kind. */
export function summary(doc: unknown): DocSummary {
  if (!isRecord(doc) || typeof doc.kind !== 'string') return null;
  if (!isRecord(doc.metadata)) return { kind: doc.kind };
  const ns = doc.metadata.namespace;
  let labels: unknown = doc;
  for (const k of POD_LABELS_AT[doc.kind] ?? TEMPLATE_LABELS) labels = isRecord(labels) ? labels[k] : undefined;
  return {
    kind: doc.kind,
    meta: {
      ...(typeof ns === 'string' ? { namespace: ns } : {}),
      name: typeof doc.metadata.name === 'string' ? doc.metadata.name : '?',
      ...(isRecord(labels) ? { podLabels: Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string') } : {}),
    },
  };
}
