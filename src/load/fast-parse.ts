import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml';
import { goNumber } from './scalars.js';
import { splitDocuments } from './split.js';
import type { ParsedDocument } from './parse.js';

const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/**
 * js-yaml with the scalars of scalars.ts: YAML 1.1 null and booleans, go-yaml v2 numbers,
 * and `.inf`/`.nan`, which make kubectl fail, throwing so the `yaml` package reports them.
 * The schema is built on first use: a run over a few small files (the pre-commit case) never needs it.
 */
let loader: ((text: string) => unknown) | undefined;
export function jsYaml(): (text: string) => unknown {
  if (loader) return loader;
  const scalar = (tag: string, resolve: (s: string) => boolean, construct: (s: string) => unknown) =>
    new Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (s: string | null) => resolve(s ?? ''), construct });
  const schema = FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('null', (s) => /^(?:~|null|Null|NULL)?$/.test(s), () => null),
      scalar('bool', (s) => TRUE.test(s) || FALSE.test(s), (s) => TRUE.test(s)),
      scalar('float', (s) => /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s), () => {
        throw new Error('no JSON form');
      }),
      scalar('int', (s) => goNumber(s) !== undefined, (s) => goNumber(s)),
    ],
  });
  return (loader = (text) => load(text, { schema }));
}

/**
 * Text the value parser leaves to the `yaml` package: anchors, aliases and merge keys
 * (whose expansion the full parser bounds), tags, a byte-order mark, tabs (where the two
 * parsers' rules for what is an error differ most), empty or explicit keys (`: x`, `? x`)
 * null keys (`~: x`) and collections as keys (`{a: 1}: x`, `{{ x }}`), which the two
 * parsers read differently (kubectl rejects all of them).
 * Matches inside quoted strings too, which only costs a slower parse.
 */
// Block scalars with an explicit indentation indicator (`|1`, `>-2`) too: at the top level
// js-yaml counts the indicator from column 0, go-yaml and `yaml` from column 1. And what
// js-yaml accepts but `yaml` does not read the same: `#` right after a flow collection or a
// quote (not a comment there), collections as keys in flow mappings (`{a:, [b]}`).
const LEAVE_TO_YAML = /[&*!\t\uFEFF]|<<|\{\{|[}\]]:(?:\s|$)|(?:^|[\s{,[])(?:[?:]|~[ ]*:|(?:null|Null|NULL)[ ]*:)(?:\s|$)|[|>](?:[1-9][-+]?|[-+][1-9])[ ]*(?:#.*)?$|[}\]"']#|[{,][ ]*\[|\{[ ]*\{/m;

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
  const read = jsYaml();
  try {
    slices.forEach((s, index) => {
      const value = read(text.slice(s.start, s.end));
      docs.push({ index, range: [s.start, s.end], value: value === undefined ? null : value });
    });
  } catch {
    return undefined;
  }
  return docs;
}
