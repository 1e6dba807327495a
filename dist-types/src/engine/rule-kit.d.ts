import type { PodTemplate, ServiceGraph, ServiceNode, ServicePortNode } from '../types/graph.js';
import type { Severity } from '../types/finding.js';
import type { RuleContext, RuleReport } from '../types/rule.js';
import { type K8sObject, type Path } from '../types/object.js';
/** Small helpers rule modules share. */
/** `Deployment shop/web`: the workload that owns a pod template. */
export declare const where: (t: PodTemplate) => string;
/**
 * The pod templates that a Service of the files selects, each with the first (in the run's
 * order) that does: their pods are its endpoints, so what keeps them from being created or
 * started leaves it without them. Overlaid objects of a live run are left out.
 */
export declare function frontedTemplates(graph: ServiceGraph): ReadonlyMap<PodTemplate, ServiceNode>;
/** A finding's related entry for the selector of the Service whose endpoints the pods are. */
export declare const selectorOf: (svc: ServiceNode) => {
    object: K8sObject;
    path: Path;
    message: string;
};
/** Reports the load problems (unreadable files, syntax errors) that belong to a rule. */
export declare function reportLoadProblems(ctx: RuleContext, ruleId: string): void;
/**
 * When a port number written where a Service port belongs is the pods' port behind one (its
 * targetPort), the words that say so: `; 8080 is the pods' port (targetPort of 80)`.
 */
export declare function targetPortHint(svc: ServiceNode, port: number | undefined): string;
/** How a Service's ports read in a message: `http` (80/TCP), 443/TCP. */
export declare function servicePortsText(svc: ServiceNode): string;
/** Whether a Service exposes a port by number or by name, as Ingress and route backends name it. */
export declare function exposes(svc: ServiceNode, port: {
    number?: number;
    name?: string;
}): boolean;
/**
 * Services of a namespace whose names are close to a name, for "did you mean"; with `from`,
 * only Services defined near it (a large run holds many unrelated projects' `default`).
 */
export declare function nearestService(graph: ServiceGraph, namespace: string, name: string, from?: K8sObject): string | undefined;
/**
 * A "did you mean" needs more than a small distance: names of three letters are one edit
 * from many others (`api`, `app`), and siblings that differ only in digits (`redis-0`,
 * `backend-v1`) are different Services on purpose, not typos of each other.
 */
export declare function genuinelyClose(a: string, b: string): boolean;
/** Whether the run defines any Service in a namespace (else a missing one may live elsewhere). */
export declare function hasServicesIn(graph: ServiceGraph, namespace: string): boolean;
/**
 * Whether a Service selects a template's pods, by their labels (the template's, plus the
 * ones controllers add): the same answer for a manifest and for a live workload whose
 * pods are the graph's backends.
 */
export declare function selectsTemplate(service: ServiceNode, t: PodTemplate): boolean;
/** Workload templates whether the run is static or live (live, pods are the graph's templates). */
export declare function workloadTemplates(graph: ServiceGraph): readonly PodTemplate[];
/**
 * Per-pod DNS names (`<host>.<service>.<ns>.svc`) need a headless Service of that name in
 * the pod's namespace that selects the pod: StatefulSet serviceName and pod subdomain alike.
 */
export declare function podDnsService(graph: ServiceGraph, t: PodTemplate, name: string): {
    problem: 'missing';
} | {
    problem: 'notHeadless' | 'notSelecting';
    service: ServiceNode;
} | {
    problem: undefined;
    service: ServiceNode;
};
/**
 * What identifies a template's main images whatever registry or version they come from: the
 * last path segment without tag, digest or trailing version (`gcr.io/x/reviews-v2:1` → `reviews`).
 */
export declare function imageNames(t: PodTemplate): ReadonlySet<string>;
/**
 * The severity contract, applied by the engine to every report:
 * - error: the input proves the failure (the API server would reject it; the counterpart is
 *   in the run and wrong; strong evidence such as a near-miss name or label);
 * - warning: likely wrong, with the counterpart in the run;
 * - info: it depends on what the input does not hold. A rule says so with `absent`; the
 *   report then drops to info, and its message says what is missing and where svclint
 *   looked, unless the input is declared complete (`completeInput`, `--complete-input`;
 *   always so for a live cluster). What a file that failed to load may hold is info even
 *   then; what an operator, a controller or the kubelet makes from the run (creators.ts) is
 *   not missing at all, and the report is dropped (`drop`).
 */
export declare function evidenceSeverity(graph: ServiceGraph, complete: boolean, r: RuleReport, severity: Severity): {
    severity: Severity;
    note: string;
    drop?: boolean;
};
/**
 * The test-data folder a file is in (`…/testdata/…`, the Go convention the Kubernetes
 * ecosystem follows: input for tests, never deployed, and often invalid on purpose), judged
 * on the path below the working folder so a checkout that itself lives under such a folder
 * is not.
 */
export declare function testDataFolder(file: string | undefined): string | undefined;
/**
 * Why an object reads as a fragment to be merged into another (a strategic-merge patch)
 * rather than an object to apply: `$patch` directives, or an apps/v1 workload with neither
 * a selector nor a container image (the API server requires both).
 */
export declare function partialObject(o: K8sObject): string | undefined;
/**
 * A value that a script substitutes before the file is applied: `${PORT}`, `${NS:-default}`, `$INBOUND_CIDRS` (envsubst),
 * `<YOUR_PROJECT>` (upper case: svclint's own messages write `<pod-hostname>`; in the value as written any case, `<your domain>`), `__HOST__`, `{{ .Values.x }}`, or a bare upper-case word where a number or a name
 * belongs (`port: PORT`, `image: CONTAINER_IMAGE`), in what a finding quotes or its object's name.
 */
export declare function placeholderIn(r: RuleReport): string | undefined;
/**
 * Services of this name in other namespaces, defined near `object` (within two folders of a
 * common parent, or live): evidence that a reference missed its namespace. Far-away files of
 * a large run (another project's `web`) are no evidence.
 */
export declare function sameNameElsewhere(graph: ServiceGraph, name: string, namespace: string, object: K8sObject): ServiceNode[];
/**
 * For a referrer that sets no namespace, looking for a Service in the namespace it is assumed
 * to be in: the namespaces near it that hold a Service of that name, in words. Such a file is
 * the output of `helm template -n demo` (a chart writes `namespace:` on some objects only) or
 * meant for `kubectl apply -n demo`: applied there, the reference works, and nothing in the
 * files says it is applied anywhere else.
 */
export declare function unplacedHint(graph: ServiceGraph, name: string, namespace: string, object: K8sObject): string | undefined;
export declare function near(a: K8sObject, b: K8sObject): boolean;
/**
 * The Service of the same kustomize build that `namePrefix` or `nameSuffix` renamed from `name`
 * (`api` → `prod-api`), for a reference kustomize does not rewrite (an HTTPRoute's backendRefs,
 * an annotation, a custom resource's field): the build itself proves the name is gone.
 */
export declare function renamedInBuild(graph: ServiceGraph, object: K8sObject, namespace: string, name: string): ServiceNode | undefined;
/** The words of a finding about a reference to a name the build renamed. */
export declare function renamedText(renamed: ServiceNode, name: string): string;
/** The run's one install of a controller (by its image), with the text of its arguments, environment and mounted ConfigMaps. */
export declare function controllerInstall(ctx: RuleContext, image: RegExp): {
    owner: K8sObject;
    image: string;
    parts: string[];
    files: string[];
    resources: K8sObject[];
    unread: boolean;
} | undefined;
/**
 * The scheme every pod behind a Service port probes its target port with (`HTTP` for an
 * `httpGet` probe without `scheme`): the kubelet's own proof of what the server speaks there.
 * Undefined when the port has no pods in the run, or one of them has no HTTP probe on that port,
 * or they disagree.
 */
export declare function probedScheme(sp: ServicePortNode): 'HTTP' | 'HTTPS' | undefined;
/**
 * Traefik's scheme towards a Service port (its Kubernetes Ingress, CRD and Gateway providers,
 * `getProtocol`/`parseServiceProtocol`): `https` for port 443 or a port name that starts with
 * `https`, else `http`, unless the route or the Service says which.
 */
export declare function traefikScheme(sp: ServicePortNode): 'http' | 'https';
/**
 * Whether a ReferenceGrant in namespace `to` lets `referrer` (a route, a Gateway: a kind of the
 * Gateway API's group, in its namespace) refer to the core-group object `kind`/`name` there.
 */
export declare function referenceGranted(graph: ServiceGraph, referrer: K8sObject, to: string, kind: string, name: string): boolean;
/**
 * A ReferenceGrant of the referrer's folder tree that would admit its reference to `kind`/`name`
 * in namespace `to` but for one thing, in words: it stands in the referrer's namespace (a grant
 * belongs to the target's), or it allows another referring kind, another namespace, or another
 * name. Evidence enough for an error.
 */
export declare function grantNearMiss(graph: ServiceGraph, referrer: K8sObject, to: string, kind: string, name: string): {
    grant: K8sObject;
    why: string;
} | undefined;
