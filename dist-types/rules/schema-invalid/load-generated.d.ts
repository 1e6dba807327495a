/**
 * The validators and field list generated for one Kubernetes version. The bundle
 * (scripts/bundle.mjs) replaces this module with static requires of the same files.
 */
export declare function loadGenerated(version: string): {
    validators: unknown;
    fields: unknown;
};
