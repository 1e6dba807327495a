export interface SchemaError {
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
}
export type Validator = ((data: unknown) => boolean) & {
    errors?: SchemaError[] | null;
};
interface Bundle {
    validators: Record<string, Validator>;
    fields: string[];
}
/** Validators compiled ahead of time by scripts/build-schemas.mjs, loaded once per version. */
export declare function bundleFor(version: string): Bundle;
export {};
