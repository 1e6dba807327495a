import type { Rule } from '../../src/types/rule.js';
import type { Path } from '../../src/types/object.js';
import { where } from '../../src/engine/rule-kit.js';
import { getIn } from '../../src/graph/pods.js';
import { isRecord } from '../../src/load/objects.js';
import { parseQuantity, quantityNumber, quantityValue, roundUpMilli, type Quantity } from '../../src/graph/quantity.js';
import { code } from '../../src/text.js';

/** Below this a memory limit leaves no room for the container runtime's own start, let alone a process. */
const MIN_MEMORY_LIMIT = 1024n * 1024n;
/** No node has this many CPUs: a request this large is never scheduled. */
const MAX_CPUS = 10_000n;

/** The suffix a quantity was written with (`m`, `M`, `Mi`, ``). */
const suffixOf = (v: string | number) => (typeof v === 'number' ? '' : /[A-Za-z]+$/.exec(v.trim())?.[0] ?? '');

const rule: Rule = {
  meta: {
    id: 'container-resources-unusable',
    description: 'A container memory limit too small for any container to start (`512m` is 0.512 bytes, `512` is 512 bytes), or a CPU request no node can hold (`500M` is 500 million CPUs): the pods never become ready, so their Services have no endpoints.',
    category: 'schema',
    severity: 'error',
    messages: {
      memory: 'memory limit {{value}} of container {{container}} in {{workload}} is {{bytes}} bytes{{why}}; no container starts under a limit below 1Mi (the runtime kills it or refuses to create it), so the pod never becomes ready{{fix}}',
      cpu: 'the CPU {{which}} {{value}} of container {{container}} in {{workload}} is {{cpus}} CPUs{{why}}; no node has that many, so the pod stays Pending (Insufficient cpu) and never becomes an endpoint{{fix}}',
    },
    remediation: 'Write the amount with the unit meant: `512Mi` of memory (`Mi` is 2^20 bytes, `M` 10^6, `m` a thousandth), `500m` of CPU (thousandths of a CPU).',
  },
  check({ graph, report }) {
    for (const t of graph.templates) {
      for (const field of ['initContainers', 'containers'] as const) {
        const items = getIn(t.owner.body, [...t.path, 'spec', field]);
        if (!Array.isArray(items)) continue;
        items.forEach((c, i) => {
          if (!isRecord(c) || !isRecord(c.resources)) return;
          const at: Path = [...t.path, 'spec', field, i, 'resources'];
          const amount = (which: 'limits' | 'requests', name: string): { written: string | number; q: Quantity } | undefined => {
            const v = getIn(c.resources, [which, name]);
            if (typeof v !== 'string' && typeof v !== 'number') return undefined;
            const parsed = parseQuantity(v);
            return parsed && !parsed.negative ? { written: v, q: roundUpMilli(parsed) } : undefined;
          };
          const container = code(typeof c.name === 'string' ? c.name : `${field}[${i}]`);
          const workload = where(t);
          const memory = amount('limits', 'memory');
          if (memory && quantityValue(memory.q) < MIN_MEMORY_LIMIT && quantityValue(memory.q) > 0n) {
            const suffix = suffixOf(memory.written);
            const digits = String(memory.written).trim().replace(/[A-Za-z]+$/, '');
            report({
              object: t.owner,
              path: [...at, 'limits', 'memory'],
              messageId: 'memory',
              data: {
                value: code(String(memory.written)),
                container,
                workload,
                bytes: quantityNumber(memory.q),
                why: suffix === 'm' ? ' (`m` is a thousandth, not mega)' : suffix === '' ? ' (a number without a unit counts bytes)' : '',
                fix: suffix === 'm' || suffix === '' ? `; for mebibytes write ${code(`${digits}Mi`)}` : '',
              },
            });
          }
          // The scheduler reads the request; a limit alone is also the request.
          const cpu = amount('requests', 'cpu') ?? amount('limits', 'cpu');
          if (cpu && quantityValue(cpu.q) >= MAX_CPUS) {
            const suffix = suffixOf(cpu.written);
            const digits = String(cpu.written).trim().replace(/[A-Za-z]+$/, '');
            const which = getIn(c.resources, ['requests', 'cpu']) !== undefined ? 'request' : 'limit (and so request)';
            report({
              object: t.owner,
              path: [...at, which === 'request' ? 'requests' : 'limits', 'cpu'],
              messageId: 'cpu',
              data: {
                which,
                value: code(String(cpu.written)),
                container,
                workload,
                cpus: quantityNumber(cpu.q),
                why: suffix === 'M' ? ' (`M` is a million, not milli)' : '',
                fix: suffix === 'M' ? `; for thousandths of a CPU write ${code(`${digits}m`)}` : '',
              },
            });
          }
        });
      }
    }
  },
};

export default rule;
