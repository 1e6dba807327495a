import { FAILSAFE_SCHEMA, NOT_RESOLVED, Schema, boolYaml11Tag, defineScalarTag, load, nullYaml11Tag } from 'js-yaml';
import { goNumber } from './scalars.js';
import { splitDocuments } from './split.js';
import type { ParsedDocument } from './parse.js';

/** The scalars of scalars.ts for js-yaml: YAML 1.1 null and booleans, go-yaml v2 numbers. */
const goNumberTag = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: [...'0123456789+-.'],
  resolve: (s: string) => goNumber(s) ?? NOT_RESOLVED,
  identify: (v: unknown) => typeof v === 'number',
});

/** `.inf` and `.nan` make kubectl fail: throw, so the full parser reports them. */
const notJsonTag = defineScalarTag('tag:yaml.org,2002:float', {
  implicit: true,
  implicitFirstChars: ['.', '+', '-'],
  resolve: (s: string) => {
    if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s)) throw new Error('no JSON form');
    return NOT_RESOLVED;
  },
  identify: () => false,
});

const SCHEMA = new Schema([...FAILSAFE_SCHEMA.tags, nullYaml11Tag, boolYaml11Tag, notJsonTag, goNumberTag]);

/**
 * Text the value parser leaves to the `yaml` package: anchors, aliases and merge keys
 * (whose expansion the full parser bounds), tags, a byte-order mark, tabs (where the two
 * parsers' rules for what is an error differ most), empty or explicit keys (`: x`, `? x`)
 * and null keys (`~: x`), which the two parsers read differently (kubectl rejects them).
 * Matches inside quoted strings too, which only costs a slower parse.
 */
const LEAVE_TO_YAML = /[&*!\t\uFEFF]|<<|(?:^|[\s{,[])(?:[?:]|~[ ]*:|(?:null|Null|NULL)[ ]*:)(?:\s|$)/m;

/**
 * The fast path: the documents of a text as plain values, read by js-yaml one document at
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
