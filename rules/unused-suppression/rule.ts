import type { Rule } from '../../src/types/rule.js';

/**
 * The engine reports these after every other rule has run, since only then is it known
 * which suppressions were used. The module holds the metadata that configures them.
 */
const rule: Rule = {
  meta: {
    id: 'unused-suppression',
    description: 'A svclint-disable comment or annotation, or a baseline entry, that suppresses nothing.',
    category: 'syntax',
    severity: 'info',
    messages: {
      unused: 'this suppression of {{rules}} suppresses nothing',
      unknownRule: 'this suppression names {{rule}}, which is not a svclint rule{{hint}} (see `svclint rules`)',
      staleBaseline: 'this baseline entry of {{rule}} on {{where}} matches no finding any more (fixed, or the object changed)',
    },
    remediation: 'Remove the suppression, or name the rule that reports here.',
  },
  check() {
    // Reported by the engine once all rules ran; see src/engine.ts.
  },
};

export default rule;
