export type Validator = ((data: unknown) => boolean) & {
    errors?: SchemaError[] | null;
};
export interface SchemaError {
    instancePath: string;
    schemaPath?: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
}
interface Bundle {
    validators: Record<string, Validator>;
    /** Every property name the schemas know. */
    fields: string[];
    /** The property names of each definition, by its name (`io.k8s.api.core.v1.LocalObjectReference`). */
    properties: Record<string, string[]>;
}
/** Validators compiled ahead of time by scripts/build-schemas.mjs, loaded once per version. */
export declare function bundleFor(version: string): Bundle;
export {};
