import type { PodTemplate, ServiceGraph } from '../types/graph.js';
import { type MountedFile } from './mounts.js';
import { type LoopbackBind } from './bind.js';
import type { ListenEvidence } from './listen.js';
/**
 * Where a Spring Boot application listens (`server.port`, `server.address`, and the actuator's
 * `management.server.port`), read the way Spring Boot's externalized configuration ranks its
 * sources, highest first: command-line arguments (`--server.port=8081`),
 * `SPRING_APPLICATION_JSON`, Java system properties (`-Dserver.port`), environment variables
 * (`SERVER_PORT`), then the config data files: for each location (by default
 * `classpath:/`, `classpath:/config/`, `file:./`, `file:./config/`, `file:./config/STAR/`, later
 * ones winning; `spring.config.location` replaces them, `spring.config.additional-location`
 * adds after them) the non-profile files (`application.properties` over `application.yml` in one
 * location), then the profile-specific ones (`application-prod.yml`) of every location;
 * multi-document files with `spring.config.activate.on-profile` and `on-cloud-platform`;
 * `${NAME:default}` placeholders. The files of the classpath (inside the image) are not in the
 * run: a setting they could make is unknown, never guessed.
 *
 * Held to Spring Boot itself by test/spring-differential.test.ts.
 */
/** A file the run knows is in the container's file system. */
export type SpringFile = MountedFile;
/** What the application sees: its files, environment, arguments and working directory. */
export interface SpringInput {
    files: readonly SpringFile[];
    /** Literal environment variables. */
    env: ReadonlyMap<string, string>;
    /** Whether variables the run cannot read may be set (`envFrom`, `valueFrom`). */
    envOpen: boolean;
    /** The application's arguments (after the main class or `-jar app.jar`). */
    args: readonly string[];
    /** `-Dname=value` of the java command line and of `JAVA_TOOL_OPTIONS`/`JDK_JAVA_OPTIONS`. */
    sysProps: ReadonlyMap<string, string>;
    /** The working directory, `./` of the file locations. */
    cwd: string;
    /** Paths whose contents the run cannot see (folders end in `/`): what Spring Boot reads there is unknown. */
    opaque?: readonly string[];
}
/** One setting as Spring Boot resolves it, with what decided it. */
export interface SpringSetting {
    value: string;
    /** `server.port: 8081 in ConfigMap app-config, key application.yml`. */
    text: string;
    /** `file` when a config data file of the run decided it; otherwise the source's kind. */
    from: 'arg' | 'json' | 'sysprop' | 'env' | 'file' | 'default';
    file?: SpringFile;
}
export interface SpringListen {
    /** Undefined when it is not decided by what the run can see. */
    port?: SpringSetting;
    address?: SpringSetting;
    management?: SpringSetting;
    /** Where the actuator's endpoints are (`management.endpoints.web.base-path`, `/actuator` by default). */
    actuatorPath?: SpringSetting;
    /** `server.servlet.context-path` when the run sets it: every path of a servlet application's server is below it. */
    contextPath?: SpringSetting;
    /** The config data files of the run that Spring Boot reads. */
    read: SpringFile[];
    /** No `management.server.port` the run sees, but a location named on purpose that the run does not hold (the image's) may set one. */
    managementUnknown?: boolean;
}
type Props = Map<string, string>;
/** A YAML or JSON tree as dotted property names (`server: {port: 1}` → `server.port`), lists joined with commas. */
export declare function flattenProps(value: unknown, prefix: string, out: Map<string, string>): boolean;
/** The documents of a `.properties` file (`#---` or `!---` separates them), as java.util.Properties reads each. */
export declare function propertiesDocs(text: string): Props[];
/** A profile expression (`prod`, `!prod`, `a & b`, `a | b`, a comma list of them) against the active profiles; undefined when too complex. */
export declare function profileMatches(expr: string, active: readonly string[]): boolean | undefined;
/**
 * The environment variables Spring Boot reads for a property: `server.port` → `SERVER_PORT`;
 * dashes are dropped (`SPRING_CONFIG_ADDITIONALLOCATION`) or, the legacy form, made underscores
 * (`SPRING_CONFIG_ADDITIONAL_LOCATION`).
 */
export declare const envNames: (prop: string) => string[];
/**
 * How Spring Boot resolves `server.port`, `server.address` and `management.server.port` for
 * an application that sees `input`; undefined when the input uses what is not modelled
 * (`spring.config.import`, `spring.profiles.include`, profile groups, unparsable files).
 */
export declare function springListen(input: SpringInput): SpringListen | undefined;
/**
 * Where a container's Spring Boot application listens, by its mounted config data files and the
 * rest of its configuration; undefined when it mounts none, or the answer rests on what the run
 * cannot see. `assumed` names the working directory taken when the container sets none (the
 * image's WORKDIR decides it): the answer is then a likelihood, not proof.
 */
export declare function springConfig(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): (SpringListen & {
    assumed?: string;
}) | undefined;
/** Whether a container may run Spring Boot with configuration from the run (cheap: most do not). */
export declare function maySpring(raw: Record<string, unknown>): boolean;
/**
 * The ports a Spring Boot container listens on when a config data file of the run (or
 * `SPRING_APPLICATION_JSON`, which no other reading covers) decides `server.port`: the server's
 * port, and the actuator's `management.server.port` when it is another.
 */
export declare function springListeners(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    ports: number[];
    evidence: ListenEvidence;
} | undefined;
/** A Spring Boot container whose configuration from the run binds the server to loopback only on `port`. */
export declare function springLoopback(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>, target?: number): Omit<LoopbackBind, 'container'> | undefined;
/**
 * What a Spring Boot container's probes must agree with: the server's port and, when the
 * actuator has a port of its own (`management.server.port`), that port and the actuator's path,
 * which only it serves. Undefined when the run does not decide them.
 */
export declare function springProbeView(graph: ServiceGraph, t: PodTemplate, raw: Record<string, unknown>): {
    server?: number;
    management?: number;
    actuator?: string;
    evidence?: ListenEvidence;
    managementEvidence?: ListenEvidence;
} | undefined;
export {};
