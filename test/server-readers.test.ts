import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vaultHclListeners, vaultJsonListeners } from '../src/graph/vault.js';
import { natsConfPorts } from '../src/graph/nats.js';
import { pgbouncerListen } from '../src/graph/pgbouncer.js';
import { fpmListens } from '../src/graph/php-fpm.js';
import { envoyListeners } from '../src/graph/envoy.js';
import { gunicornBinds } from '../src/graph/gunicorn.js';
import { tomcatListeners } from '../src/graph/tomcat.js';
import { tempoReceivers } from '../src/graph/tempo.js';
import { vectorApi } from '../src/graph/vector.js';
import { fluentBitListeners } from '../src/graph/fluent-bit.js';

/**
 * The configuration readers of servers' own files (Vault's HCL and JSON listeners, nats-server's
 * configuration, PgBouncer's ini, php-fpm's pools, Envoy's bootstrap, gunicorn.conf.py, Tomcat's server.xml, Tempo's receivers, Vector's API, Fluent Bit's listeners): what each reads from files written the way
 * the servers' documentation writes them, and that none throws or hangs on any text, since a
 * ConfigMap can hold anything.
 */

const seed = Number(process.env.SVCLINT_SEED ?? 4242);

describe('server configuration readers', () => {
  it('read Vault listener blocks: the address as written, 127.0.0.1:8200 for a block without one, comments and nested blocks left out', () => {
    expect(vaultHclListeners('listener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = 1\n}\n')).toEqual([{ host: '127.0.0.1', port: 8200, written: '127.0.0.1:8200' }]);
    expect(vaultHclListeners('# listener "tcp" { address = "127.0.0.1:8200" }\nlistener "tcp" {\n  address = "[::]:8200" // all\n  telemetry {\n    address = "127.0.0.1:9999"\n  }\n}\n')).toEqual([{ host: '::', port: 8200, written: '[::]:8200' }]);
    expect(vaultHclListeners('listener "tcp" {\n  tls_disable = true\n}\nlistener "unix" {\n  address = "/run/vault.sock"\n}\n')).toEqual([{ host: '127.0.0.1', port: 8200 }]);
    // A template in an address, or listeners written as an attribute: not read.
    expect(vaultHclListeners('listener "tcp" {\n  address = "{{ GetPrivateIP }}:8200"\n}\n')).toBeUndefined();
    expect(vaultHclListeners('listener = [{ tcp = { address = "0.0.0.0:8200" } }]\n')).toBeUndefined();
    expect(vaultJsonListeners('{"listener": [{"tcp": {"address": "0.0.0.0:8200"}}, {"tcp": {}}]}')).toEqual([{ host: '0.0.0.0', port: 8200, written: '0.0.0.0:8200' }, { host: '127.0.0.1', port: 8200 }]);
    expect(vaultJsonListeners('{"listener": {"tcp": {"address": "127.0.0.1:8210"}}}')).toEqual([{ host: '127.0.0.1', port: 8210, written: '127.0.0.1:8210' }]);
  });

  it('read the ports a nats-server configuration opens: clients (4222 by default), monitoring only where set, the blocks\' ports', () => {
    expect(natsConfPorts('port: 4222\njetstream {\n  store_dir: /data\n}\n')).toEqual({ ports: [4222], monitor: false });
    expect(natsConfPorts('listen: 0.0.0.0:4333\nhttp_port: 8222\ncluster {\n  port: 6222\n  routes = [\n    nats://a:6222\n  ]\n}\nwebsocket { port: 8080, no_tls: true }\n')).toEqual({ ports: [4333, 8222, 6222, 8080], monitor: true });
    expect(natsConfPorts('http: "localhost:8222"\n')).toEqual({ ports: [4222, 8222], monitor: true });
    // An include, a block without a port, or a variable in a port: cannot tell.
    expect(natsConfPorts('include ./auth.conf\n')).toBeUndefined();
    expect(natsConfPorts('leafnodes {\n  remotes = []\n}\n')).toBeUndefined();
    expect(natsConfPorts('port: $PORT\n')).toBeUndefined();
  });

  it('read PgBouncer\'s [pgbouncer] section and php-fpm\'s pools, last value winning', () => {
    expect(pgbouncerListen('[databases]\nlisten_addr = 1.2.3.4\n[pgbouncer]\nlisten_addr = localhost ; quick start\nlisten_port = 6433\n')).toEqual({ addr: 'localhost', port: 6433 });
    expect(pgbouncerListen('[pgbouncer]\nauth_type = md5\n')).toEqual({ port: 6432 });
    expect(pgbouncerListen('%include /etc/pgbouncer/extra.ini\n')).toBeUndefined();
    expect(fpmListens(['[global]\nlisten = 1\n[www]\nlisten = 127.0.0.1:9000\n', '[www]\n; listen = 9001\nlisten = 9000\n[admin]\nlisten = /run/admin.sock\n'])).toEqual(new Map([['www', '9000'], ['admin', '/run/admin.sock']]));
  });

  it('read an Envoy bootstrap\'s static listeners and admin address, YAML or JSON, and leave alone what does not say all of them', () => {
    const listener = (name: string, address: string, port: number | string) => `    - name: ${name}\n      address:\n        socket_address: {address: "${address}", port_value: ${port}}\n`;
    expect(envoyListeners(`static_resources:\n  listeners:\n${listener('ingress', '0.0.0.0', 10000)}${listener('tls', '::', '10443')}admin:\n  address:\n    socket_address: {address: 127.0.0.1, port_value: 9901}\n`)).toEqual([
      { host: '0.0.0.0', port: 10000, text: 'listener ingress: 0.0.0.0:10000' },
      { host: '::', port: 10443, text: 'listener tls: [::]:10443' },
      { host: '127.0.0.1', port: 9901, text: 'admin: 127.0.0.1:9901' },
    ]);
    expect(envoyListeners('{"static_resources": {"listeners": [{"name": "l", "address": {"socket_address": {"address": "0.0.0.0", "port_value": 8080}}, "additional_addresses": [{"address": {"socket_address": {"address": "127.0.0.1", "port_value": 8081}}}]}]}}')).toEqual([
      { host: '0.0.0.0', port: 8080, text: 'listener l: 0.0.0.0:8080' },
      { host: '127.0.0.1', port: 8081, text: 'listener l: 127.0.0.1:8081' },
    ]);
    // A Unix socket for admin opens no TCP port.
    expect(envoyListeners(`admin:\n  address: {pipe: {path: /tmp/admin.sock}}\nstatic_resources:\n  listeners:\n${listener('l', '0.0.0.0', 80)}`)).toEqual([{ host: '0.0.0.0', port: 80, text: 'listener l: 0.0.0.0:80' }]);
    // Listeners from xDS or a file, a listener that binds no port, UDP, port 0, a template: cannot tell.
    expect(envoyListeners(`dynamic_resources:\n  lds_config: {path_config_source: {path: /etc/envoy/lds.yaml}}\nstatic_resources:\n  listeners:\n${listener('l', '0.0.0.0', 80)}`)).toBeUndefined();
    expect(envoyListeners(`static_resources:\n  listeners:\n${listener('l', '0.0.0.0', 15001)}      use_original_dst: true\n`)).toBeUndefined();
    expect(envoyListeners(`static_resources:\n  listeners:\n${listener('l', '0.0.0.0', 15006)}      bind_to_port: false\n`)).toBeUndefined();
    expect(envoyListeners('static_resources:\n  listeners:\n    - address: {socket_address: {address: 0.0.0.0, port_value: 443, protocol: UDP}}\n')).toBeUndefined();
    expect(envoyListeners(`static_resources:\n  listeners:\n${listener('l', '0.0.0.0', 0)}`)).toBeUndefined();
    expect(envoyListeners(`static_resources:\n  listeners:\n${listener('l', '0.0.0.0', '${PORT}')}`)).toBeUndefined();
    expect(envoyListeners('node: {id: x}\n')).toBeUndefined();
  });

  it('read gunicorn.conf.py\'s bind as written at the top level, the last one winning, and leave alone what Python computes', () => {
    expect(gunicornBinds('bind = "0.0.0.0:8000"\nworkers = 2\n')).toEqual(['0.0.0.0:8000']);
    expect(gunicornBinds("bind = ['127.0.0.1:8000', 'unix:/run/gunicorn.sock']  # two\n")).toEqual(['127.0.0.1:8000', 'unix:/run/gunicorn.sock']);
    expect(gunicornBinds('bind = "127.0.0.1:8000"\nbind = ("[::]:9000",)\n')).toEqual(['[::]:9000']);
    expect(gunicornBinds('# bind = "127.0.0.1:1"\nworkers = 4\n')).toBeNull();
    expect(gunicornBinds('import os\nbind = f"0.0.0.0:{os.environ[\'PORT\']}"\n')).toBeUndefined();
    expect(gunicornBinds('bind = "0.0.0.0:8000"\nif DEBUG:\n    bind = "127.0.0.1:8000"\n')).toBeUndefined();
    expect(gunicornBinds('from settings import *\n')).toBeUndefined();
    expect(gunicornBinds('bind = ADDRESS\n')).toBeUndefined();
  });

  it('read Tomcat\'s connectors and shutdown port from server.xml, comments left out, and leave alone what a property or an entity sets', () => {
    const xml = (body: string, server = 'port="8005" shutdown="SHUTDOWN"') => `<?xml version="1.0"?>\n<Server ${server}>\n  <Service name="Catalina">\n${body}\n  </Service>\n</Server>\n`;
    expect(tomcatListeners(xml('<!-- <Connector port="8080"/> -->\n<Connector port="8081" protocol="HTTP/1.1"\n   redirectPort="8443"/>\n<Connector protocol="AJP/1.3" address="127.0.0.1" port=\'8009\'/>'))).toEqual([
      { port: 8081, text: 'Connector port="8081"' },
      { port: 8009, host: '127.0.0.1', text: 'Connector port="8009" address="127.0.0.1"' },
      { port: 8005, host: 'localhost', text: 'Server port="8005"' },
    ]);
    // An AJP connector without an address listens on loopback (Tomcat 8.5.51, 9.0.31 and later).
    expect(tomcatListeners(xml('<Connector port="8009" protocol="AJP/1.3" secretRequired="false"/>', 'port="-1"'))).toEqual([{ port: 8009, host: 'localhost', text: 'Connector port="8009" protocol="AJP/1.3"' }]);
    // The shutdown port turned off, and a Server without a port (8005 on localhost).
    expect(tomcatListeners(xml('<Connector port="8080"/>', 'port="-1" shutdown="SHUTDOWN"'))).toEqual([{ port: 8080, text: 'Connector port="8080"' }]);
    expect(tomcatListeners(xml('<Connector port="8080"/>', 'shutdown="X"'))).toEqual([{ port: 8080, text: 'Connector port="8080"' }, { port: 8005, host: 'localhost', text: 'Server port="8005"' }]);
    // A property, a connector without a port, an entity, no connector: cannot tell.
    expect(tomcatListeners(xml('<Connector port="${http.port}"/>'))).toBeUndefined();
    expect(tomcatListeners(xml('<Connector protocol="HTTP/1.1"/>'))).toBeUndefined();
    expect(tomcatListeners(`<!DOCTYPE server [<!ENTITY connectors SYSTEM "connectors.xml">]>\n${xml('&connectors;')}`)).toBeUndefined();
    expect(tomcatListeners(xml(''))).toBeUndefined();
  });

  it('read Tempo\'s trace receivers: endpoints as written, localhost or every interface where none is written (by version)', () => {
    const conf = 'distributor:\n  receivers:\n    otlp:\n      protocols:\n        grpc:\n        http:\n          endpoint: 0.0.0.0:4318\n    zipkin:\n    jaeger:\n      protocols:\n        thrift_compact:\n        grpc: {endpoint: "[::1]:14250"}\n';
    expect(tempoReceivers(conf, true)).toEqual([
      { port: 4317, host: 'localhost', written: false, text: 'distributor.receivers.otlp.protocols.grpc with no endpoint' },
      { port: 4318, host: '0.0.0.0', written: true, text: 'endpoint: 0.0.0.0:4318' },
      { port: 9411, host: 'localhost', written: false, text: 'distributor.receivers.zipkin with no endpoint' },
      { port: 14250, host: '::1', written: true, text: 'endpoint: [::1]:14250' },
    ]);
    expect(tempoReceivers(conf, false)![0]).toMatchObject({ port: 4317, host: '0.0.0.0' });
    // A variable in an endpoint, or no receivers at all: cannot tell.
    expect(tempoReceivers('distributor:\n  receivers:\n    otlp:\n      protocols:\n        grpc: {endpoint: "${POD_IP}:4317"}\n', true)).toBeUndefined();
    expect(tempoReceivers('server: {http_listen_port: 3200}\n', true)).toBeUndefined();
  });

  it('read Vector\'s api table in YAML, JSON and TOML, and leave alone what a variable sets', () => {
    expect(vectorApi('api:\n  enabled: true\nsources: {}\n', 'yaml')).toEqual({ enabled: true });
    expect(vectorApi('{"api": {"enabled": true, "address": "0.0.0.0:8686"}}', 'json')).toEqual({ enabled: true, address: '0.0.0.0:8686' });
    expect(vectorApi('[api]\nenabled = true\naddress = "127.0.0.1:9999" # local\n\n[sources.in]\ntype = "stdin"\n', 'toml')).toEqual({ enabled: true, address: '127.0.0.1:9999' });
    expect(vectorApi('sources:\n  in: {type: stdin}\n', 'yaml')).toEqual({});
    expect(vectorApi('api:\n  enabled: true\n  address: "${API_ADDR}"\n', 'yaml')).toBeUndefined();
    expect(vectorApi('[api]\nenabled = "${ON}"\n', 'toml')).toBeUndefined();
  });

  it('read the TCP sockets a classic Fluent Bit configuration opens, and leave alone what it does not say', () => {
    expect(fluentBitListeners('[SERVICE]\n    Flush 1\n\n[INPUT]\n    Name tail\n    Path /var/log/*.log\n\n[OUTPUT]\n    Name stdout\n    Match *\n')).toEqual([]);
    expect(fluentBitListeners('[SERVICE]\n    HTTP_Server  On\n    HTTP_Listen  127.0.0.1\n[INPUT]\n    Name forward\n    Port 24225\n[INPUT]\n    Name syslog\n    Mode tcp\n[INPUT]\n    Name syslog\n[OUTPUT]\n    Name prometheus_exporter\n    Match *\n')).toEqual([
      { port: 2020, host: '127.0.0.1', text: 'HTTP_Server On' },
      { port: 24225, host: '0.0.0.0', text: '[INPUT] Name forward' },
      { port: 5140, host: '0.0.0.0', text: '[INPUT] Name syslog' },
      { port: 2021, host: '0.0.0.0', text: '[OUTPUT] Name prometheus_exporter' },
    ]);
    // An include, a variable, a plugin svclint does not know: cannot tell.
    expect(fluentBitListeners('@INCLUDE inputs.conf\n[SERVICE]\n    Flush 1\n')).toBeUndefined();
    expect(fluentBitListeners('[SERVICE]\n    HTTP_Server On\n    HTTP_Port ${PORT}\n')).toBeUndefined();
    expect(fluentBitListeners('[INPUT]\n    Name my_plugin\n')).toBeUndefined();
  });

  it('never throw on any text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.constantFrom('listener', ' "tcp" ', '{', '}', '[', ']', '"', 'address', ' = ', '127.0.0.1:8200', '\n', '#', '//', '/*', '*/', 'port: ', '4222', 'http_port', 'cluster', 'include', '[pgbouncer]', 'listen_addr', '=', ';', '[www]', 'listen', '$', 'static_resources:', 'listeners:', '- ', 'socket_address: ', 'port_value: ', 'admin:', '  ', 'bind = ', "'0.0.0.0:8000'", '(', ')', ',', 'import *', '<Server port="8005">', '<Connector port="8080"', ' address="127.0.0.1"', '/>', '<!--', '-->'), { maxLength: 60 }).map((a) => a.join('')),
    );
    fc.assert(fc.property(text, (t) => {
      vaultHclListeners(t);
      vaultJsonListeners(t);
      natsConfPorts(t);
      pgbouncerListen(t);
      fpmListens([t, t]);
      envoyListeners(t);
      gunicornBinds(t);
      tomcatListeners(t);
      tempoReceivers(t, true);
      vectorApi(t, 'yaml');
      vectorApi(t, 'toml');
      fluentBitListeners(t);
    }), { seed, numRuns: 2000 });
  });
});
