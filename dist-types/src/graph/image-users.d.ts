export interface ImageUser {
    /** The image's USER: a name (the kubelet cannot verify it is not root); undefined: none, so uid 0. */
    user?: string;
    /** Tags built before the image had its USER: they run as root. */
    rootTags?: RegExp;
    /** The user an entrypoint switches to after it starts as root (gosu, su-exec), for messages. */
    switchesTo?: string;
}
/**
 * The user that official Docker Hub images start as, by repository (as `hubRepository` names
 * it): what the kubelet reads from the image's configuration when a container sets no
 * `runAsUser`. Read from each image's build history (docker-library/repo-info, the newest
 * tag, 2026); images that run as a numeric uid (elasticsearch, kibana, solr) and images that
 * are no longer maintained are left out, as are all others: svclint makes no claim about them.
 */
export declare const IMAGE_USERS: Readonly<Record<string, ImageUser>>;
/** The user an official image starts as, given its tag; undefined when svclint does not know the image. */
export declare function imageUser(repository: string | undefined, image: string): ImageUser | undefined;
