import type { K8sObject, Path } from '../../src/types/object.js';
/**
 * What the Gateway API's CustomResourceDefinitions make kube-apiserver reject in Gateways,
 * HTTPRoutes and GRPCRoutes (their OpenAPI patterns and enums, and their CEL
 * `x-kubernetes-validations`), for the rules every release from v1.0 to v1.5 carries: hostnames, path matches, methods,
 * header and query matches, filters and their fields, timeouts, listener names, hostnames
 * and TLS. test/gateway-differential.test.ts compares them with kube-apiserver and the CRDs.
 */
export declare const GATEWAY_GROUP: RegExp;
export type GatewayProblem = {
    path: Path;
    problem: string;
};
export declare function gatewayFieldProblems(o: K8sObject): GatewayProblem[];
