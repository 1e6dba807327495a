import type { K8sObject, Path } from '../types/object.js';

/**
 * What the API server's Priority admission refuses in a new pod (plugin/pkg/admission/priority):
 * it works out the priority and preemption policy from the pod's PriorityClass (its name, else
 * the cluster's `globalDefault` class with the lowest value, else 0 and PreemptLowerPriority)
 * and refuses a pod whose own `priority` or `preemptionPolicy` says otherwise ("must not be
 * provided in pod spec"). The system classes have fixed values. `certain` is false where the
 * answer rests on the cluster having no default class besides those of the files.
 */

const SYSTEM: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };
const DEFAULT_POLICY = 'PreemptLowerPriority';

export interface PriorityRefusal {
  /** The admission plugin's own words. */
  message: string;
  /** Where in the pod spec: `priority` or `preemptionPolicy`. */
  path: Path;
  certain: boolean;
}

/** A class's value and policy, or undefined where it cannot be read. */
function classOf(o: K8sObject): { value: number; policy: string } | undefined {
  const value = o.body.value;
  const policy = o.body.preemptionPolicy ?? DEFAULT_POLICY;
  return typeof value === 'number' && Number.isInteger(value) && typeof policy === 'string' ? { value, policy } : undefined;
}

/** The Priority admission's refusal of a pod with this spec, given the PriorityClasses of the run, or undefined. */
export function priorityRefusal(spec: Record<string, unknown>, classes: readonly K8sObject[]): PriorityRefusal | undefined {
  const { priorityClassName: name, priority, preemptionPolicy: policy } = spec;
  if (priority === undefined && policy === undefined) return undefined;
  // Values of the wrong type are the schema's to report.
  if ((priority !== undefined && !(typeof priority === 'number' && Number.isInteger(priority))) || (policy !== undefined && typeof policy !== 'string')) return undefined;
  let computed: { value: number; policy: string } | undefined;
  let certain = true;
  if (typeof name === 'string' && name !== '') {
    if (Object.hasOwn(SYSTEM, name)) computed = { value: SYSTEM[name]!, policy: DEFAULT_POLICY };
    else {
      const named = classes.filter((c) => c.name === name);
      if (named.length !== 1) return undefined;
      computed = classOf(named[0]!);
    }
  } else if (name === undefined || name === null || name === '') {
    const defaults = classes.filter((c) => c.body.globalDefault === true).map(classOf);
    if (defaults.some((d) => d === undefined)) return undefined;
    const lowest = (defaults as { value: number; policy: string }[]).sort((a, b) => a.value - b.value)[0];
    computed = lowest ?? { value: 0, policy: DEFAULT_POLICY };
    certain = lowest !== undefined;
  } else return undefined;
  if (!computed) return undefined;
  if (priority !== undefined && priority !== computed.value) {
    return { message: `the integer value of priority (${priority}) must not be provided in pod spec; priority admission controller computed ${computed.value} from the given PriorityClass name`, path: ['priority'], certain };
  }
  if (policy !== undefined && policy !== computed.policy) {
    return { message: `the string value of PreemptionPolicy (${policy}) must not be provided in pod spec; priority admission controller computed ${computed.policy} from the given PriorityClass name`, path: ['preemptionPolicy'], certain };
  }
  return undefined;
}
