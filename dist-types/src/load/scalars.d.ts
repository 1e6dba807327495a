import type { Tags } from 'yaml';
/**
 * Plain scalars read as kubectl reads them. kubectl turns YAML into JSON with
 * sigs.k8s.io/yaml, which decodes with go-yaml v2 (go.yaml.in/yaml/v2, resolve.go) into
 * Go values and marshals them with encoding/json. That is YAML 1.1 with Go's number
 * syntax and without sexagesimal numbers or timestamps:
 *
 * - null: empty, `~`, `null`, `Null`, `NULL`; booleans: `y/yes/true/on` and
 *   `n/no/false/off` in three spellings (the `yaml` package's YAML 1.1 lists match these);
 * - a scalar starting with a digit or a sign: a date-like `YYYY-...` stays a string (a
 *   timestamp decoded into an interface{} is kept as its text); otherwise, with every `_`
 *   removed, Go's `strconv.ParseInt(s, 0, 64)` (`0x1F`, `0o17`, `0b101`, `0777` octal,
 *   `+12`), then `ParseUint`, then a float of the form `[-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?`
 *   that does not overflow; anything else is a string (`80:00`, `1e400`, `0x`);
 * - a scalar starting with `.`: `.inf`, `-.inf`, `.nan` and spellings, or Go's ParseFloat
 *   (`.5`); infinities and NaN have no JSON form, so kubectl rejects the document.
 *
 * The table of cases is in rules/yaml-syntax/README.md and test/scalars.test.ts.
 */
export declare function goNumber(s: string): number | undefined;
/**
 * The `customTags` of every parse: the YAML 1.1 schema with its number, sexagesimal and
 * timestamp resolvers replaced by go-yaml v2's, and `!!binary` read as go-yaml reads it.
 */
export declare function kubernetesTags(tags: Tags): Tags;
