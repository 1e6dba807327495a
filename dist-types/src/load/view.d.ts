/** What a path is: a regular file, a folder, or anything else (a link met in a listing, a device). */
export type EntryKind = 'file' | 'dir' | 'other';
/** A YAML file as read: its value, or that it did not parse (undefined: it could not be read). */
export type YamlRead = {
    value: unknown;
} | {
    error: true;
};
/**
 * How the loader sees the files around what it renders: whether Chart.yaml and kustomization
 * files are there, what they say, and the files a render reads (for its cache key and to map
 * its output back to source files). The default is the file system; the pre-commit hook
 * passes another view to load HEAD's version of the repository without writing it out.
 * Every answer is about an absolute path.
 */
export interface FileView {
    /** As existsSync: links are followed, folders count. */
    exists(abs: string): boolean;
    /** As statSync: links are followed; undefined when there is nothing there. */
    kind(abs: string): EntryKind | undefined;
    /** A folder's entries as readdirSync with file types gives them (a link is `other`); undefined when it cannot be listed. */
    list(abs: string): {
        name: string;
        kind: EntryKind;
    }[] | undefined;
    /** A file's bytes; undefined when it cannot be read. */
    bytes(abs: string): Uint8Array | undefined;
    /** A file's text (UTF-8); undefined when it cannot be read. */
    text(abs: string): string | undefined;
    /** SHA-256 (hex) and size of a file's bytes; undefined when it cannot be read. */
    digest(abs: string): {
        sum: string;
        size: number;
    } | undefined;
    /** A file's YAML value (one document); undefined when it cannot be read. */
    yaml(abs: string): YamlRead | undefined;
}
/**
 * Where YAML values read through a view are kept between runs, by text (the render cache,
 * render-cache.ts): kustomization files are read on every run to plan the renders, and
 * parsing them costs more than reading them.
 */
export interface YamlStore {
    /** The value kept for this text, or undefined when none is (or it is not sound). */
    getYaml(text: string): YamlRead | undefined;
    setYaml(text: string, read: YamlRead): void;
}
/** yamlOf(), through a store when there is one. */
export declare function yamlOfStored(text: string, store: YamlStore | undefined): YamlRead;
/**
 * The file system. With `keep` (one load's view), the answers are kept for the rest of the
 * run: a base that several overlays build on is probed, parsed and hashed once, and a
 * second view (HEAD's, in the pre-commit hook) asks this one about every file the change
 * did not touch. Without it, every question reads the disk again. With a `store`, YAML
 * values parsed in an earlier run from the same text are taken from it.
 */
export declare class DiskView implements FileView {
    private readonly keep;
    readonly store?: YamlStore | undefined;
    private readonly existing;
    private readonly kinds;
    private readonly digests;
    private readonly yamls;
    constructor(keep?: boolean, store?: YamlStore | undefined);
    /** With `keep`: the paths it found something at (a file or folder that exists, was hashed or parsed). */
    found(): Iterable<string>;
    exists(abs: string): boolean;
    kind(abs: string): EntryKind | undefined;
    list(abs: string): {
        name: string;
        kind: EntryKind;
    }[] | undefined;
    bytes(abs: string): Uint8Array | undefined;
    text(abs: string): string | undefined;
    digest(abs: string): {
        sum: string;
        size: number;
    } | undefined;
    yaml(abs: string): YamlRead | undefined;
}
export declare function digestOf(bytes: Uint8Array): {
    sum: string;
    size: number;
};
export declare function yamlOf(text: string): YamlRead;
/** A YAML value that parsed, else undefined. */
export declare function yamlValue(view: FileView, abs: string): {
    value: unknown;
} | undefined;
/** `abs` relative to `root` with forward slashes, or undefined when it is not under it. */
export declare function under(root: string, abs: string): string | undefined;
