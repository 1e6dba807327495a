import { type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';
/**
 * `yaml`'s parse() for a text that is not one of the run's manifests (a server's configuration
 * file in a ConfigMap, a kubeconfig, `.svclint.yaml`): its warnings (a tag it does not know,
 * `!foo`) are not written to stderr beside svclint's own output, where they would name neither
 * the file nor the object. Errors still throw, as parse() throws them.
 */
export declare function parseQuiet(text: string, options?: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions): unknown;
/** parseQuiet()'s value where the text is a YAML (or JSON) mapping; undefined for anything else, or a text that does not parse. */
export declare function parseQuietRecord(text: string): Record<string, unknown> | undefined;
