export interface ImageUser {
  /** The image's USER: a name (the kubelet cannot verify it is not root); undefined: none, so uid 0. */
  user?: string;
  /** Tags built before the image had its USER: they run as root. */
  rootTags?: RegExp;
  /** The user an entrypoint switches to after it starts as root (gosu, su-exec), for messages. */
  switchesTo?: string;
}

const root = (switchesTo?: string): ImageUser => (switchesTo ? { switchesTo } : {});

/**
 * The user that official Docker Hub images start as, by repository (as `hubRepository` names
 * it): what the kubelet reads from the image's configuration when a container sets no
 * `runAsUser`. Read from each image's build history (docker-library/repo-info, the newest
 * tag, 2026); images that run as a numeric uid (elasticsearch, kibana, solr) and images that
 * are no longer maintained are left out, as are all others: svclint makes no claim about them.
 */
export const IMAGE_USERS: Readonly<Record<string, ImageUser>> = Object.freeze(Object.assign(Object.create(null) as Record<string, ImageUser>, {
  // No USER: they start as root (some entrypoints switch users later, which the kubelet does not see).
  alpine: root(),
  amazoncorretto: root(),
  busybox: root(),
  caddy: root(),
  cassandra: root('cassandra'),
  clickhouse: root('clickhouse'),
  couchdb: root('couchdb'),
  debian: root(),
  drupal: root(),
  'eclipse-mosquitto': root('mosquitto'),
  'eclipse-temurin': root(),
  ghost: root('node'),
  golang: root(),
  httpd: root(),
  influxdb: root('influxdb'),
  joomla: root(),
  mariadb: root('mysql'),
  matomo: root(),
  mongo: root('mongodb'),
  mysql: root('mysql'),
  nats: root(),
  neo4j: root('neo4j'),
  nextcloud: root(),
  nginx: root(),
  node: root(),
  php: root(),
  phpmyadmin: root(),
  postgres: root('postgres'),
  python: root(),
  rabbitmq: root('rabbitmq'),
  redis: root('redis'),
  redmine: root('redmine'),
  registry: root(),
  ruby: root(),
  telegraf: root('telegraf'),
  tomcat: root(),
  traefik: root(),
  ubuntu: root(),
  wordpress: root(),
  zookeeper: root('zookeeper'),
  // USER is a name.
  adminer: { user: 'adminer' },
  // HAProxy's image has run as `haproxy` since 2.4.
  haproxy: { user: 'haproxy', rootTags: /^(?:1\.|2\.[0-3](?:\.|-|$))/ },
  memcached: { user: 'memcache' },
  odoo: { user: 'odoo' },
  percona: { user: 'mysql' },
  'rocket.chat': { user: 'rocketchat' },
  sonarqube: { user: 'sonarqube' },
  varnish: { user: 'varnish' },
}));

/** The user an official image starts as, given its tag; undefined when svclint does not know the image. */
export function imageUser(repository: string | undefined, image: string): ImageUser | undefined {
  if (!repository) return undefined;
  const known = IMAGE_USERS[repository];
  if (!known) return undefined;
  const tag = /:([^/:@]+)(?:@.*)?$/.exec(image)?.[1] ?? 'latest';
  return known.rootTags?.test(tag) ? {} : known;
}
