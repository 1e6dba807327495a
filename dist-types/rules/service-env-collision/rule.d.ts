import type { Rule } from '../../src/types/rule.js';
/** The variables Kubernetes injects into pods for a Service (docker-link style). */
export declare function injectedNames(service: string, ports: {
    port?: number;
    protocol: string;
}[]): string[];
declare const rule: Rule;
export default rule;
