import { type Path } from '../types/object.js';
import type { PodTemplate, PortResolution, TargetPort } from '../types/graph.js';
/** Reads `targetPort` the way the API server does (IntOrString; omitted or 0 means `port`). */
export declare function readTargetPort(raw: unknown, port: number | undefined, portPath: Path): {
    target: TargetPort;
    path: Path;
};
/**
 * `podutil.FindPort` for one pod template: a number is used as is; a name is looked up
 * among the container ports by name and protocol, in regular containers and then in
 * native sidecars. A pod where the lookup fails is left out of that port's endpoints.
 */
export declare function findPort(t: PodTemplate, target: TargetPort, protocol: string): PortResolution;
