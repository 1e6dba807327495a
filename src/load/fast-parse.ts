import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml';
import { goNumber } from './scalars.js';
import { splitDocuments } from './split.js';
import type { ParsedDocument } from './parse.js';

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string | null) => s === null || /^(?:~|null|Null|NULL)?$/.test(s),
  construct: () => null,
});

const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/** The scalars of scalars.ts for js-yaml: YAML 1.1 null and booleans, go-yaml v2 numbers. */
const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && (TRUE.test(s) || FALSE.test(s)),
  construct: (s: string) => TRUE.test(s),
});

/** `.inf` and `.nan` make kubectl fail: the constructor throws, so the `yaml` package reports them. */
const notJsonType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s),
  construct: () => {
    throw new Error('no JSON form');
  },
});

const numberType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string | null) => s !== null && goNumber(s) !== undefined,
  construct: (s: string) => goNumber(s),
});

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, notJsonType, numberType] });

/**
 * Text the value parser leaves to the `yaml` package: anchors, aliases and merge keys
 * (whose expansion the full parser bounds), tags, a byte-order mark, tabs (where the two
 * parsers' rules for what is an error differ most), empty or explicit keys (`: x`, `? x`)
 * null keys (`~: x`) and collections as keys (`{a: 1}: x`, `{{ x }}`), which the two
 * parsers read differently (kubectl rejects all of them).
 * Matches inside quoted strings too, which only costs a slower parse.
 */
const LEAVE_TO_YAML = /[&*!\t\uFEFF]|<<|\{\{|[}\]]:(?:\s|$)|(?:^|[\s{,[])(?:[?:]|~[ ]*:|(?:null|Null|NULL)[ ]*:)(?:\s|$)/m;

/**
 * The fast path: the documents of a text as plain values, read by js-yaml 4 one document at
 * a time from the splitter's slices. Returns undefined when the text is for the `yaml`
 * package to read: it has anything in LEAVE_TO_YAML or directives, or a document js-yaml
 * rejects (the `yaml` package then reports the errors, with their positions, as before).
 */
export function parseValues(text: string): ParsedDocument[] | undefined {
  if (LEAVE_TO_YAML.test(text)) return undefined;
  const slices = splitDocuments(text);
  if (!slices) return undefined;
  const docs: ParsedDocument[] = [];
  try {
    slices.forEach((s, index) => {
      const value = load(text.slice(s.start, s.end), { schema: SCHEMA });
      docs.push({ index, range: [s.start, s.end], value: value === undefined ? null : value });
    });
  } catch {
    return undefined;
  }
  return docs;
}
