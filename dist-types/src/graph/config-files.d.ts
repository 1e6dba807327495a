import { type HostRef } from './hosts.js';
/**
 * Hosts in a configuration file mounted from a ConfigMap key, read by the file's format
 * rather than by a pattern over its text: YAML and JSON values under their keys,
 * `.properties`/INI/TOML/env lines, nginx upstreams and `*_pass` targets, HAProxy `server`
 * lines, Envoy `socket_address`, Prometheus `targets`, ZooKeeper `server.N=` lists.
 * A value in a position that can only hold a host (`host: cart`, `server cart:7070;`) is
 * marked `position`. Undefined when the text is not in a format read here.
 */
export declare function configFileHosts(key: string, text: string): HostRef[] | undefined;
/**
 * The upstream groups an nginx configuration text defines (`upstream app { … }`): a
 * `proxy_pass http://app` elsewhere (another key of the same ConfigMap, included from
 * `conf.d/`) names the group, not a host.
 */
export declare function nginxUpstreams(text: string): string[];
/**
 * A file in no format read here, for the pattern over its text: its whole-line comments blanked
 * (`#` in Python, shell, Ruby and INI-like `.conf` files, `;` in INI-like ones, `//` in C-like
 * languages), so a commented-out connection string is not dialled. Other text is unchanged.
 */
export declare function uncommentedText(key: string, text: string): string;
export declare function yamlHosts(text: string, fast?: boolean, properties?: boolean): HostRef[] | undefined;
