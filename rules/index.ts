import type { Rule } from '../src/types/rule.js';
import endpointsNeverReady from './endpoints-never-ready/rule.js';
import podConfigMissing from './pod-config-missing/rule.js';
import runAsNonRootConflict from './run-as-non-root-conflict/rule.js';
import podSecurityRejected from './pod-security-rejected/rule.js';
import fieldTypeInvalid from './field-type-invalid/rule.js';
import fileUnreadable from './file-unreadable/rule.js';
import selectorNoMatch from './selector-no-match/rule.js';
import serviceNameInvalid from './service-name-invalid/rule.js';
import targetPortUndeclared from './target-port-undeclared/rule.js';
import targetPortUnresolved from './target-port-unresolved/rule.js';
import unusedSuppression from './unused-suppression/rule.js';
import yamlSyntax from './yaml-syntax/rule.js';
import clusterDnsUnhealthy from './cluster-dns-unhealthy/rule.js';
import kubeProxyUnhealthy from './kube-proxy-unhealthy/rule.js';
import manualEndpointsMissing from './manual-endpoints-missing/rule.js';
import serviceNoReadyEndpoints from './service-no-ready-endpoints/rule.js';
import renderFailed from './render-failed/rule.js';
import schemaInvalid from './schema-invalid/rule.js';
import serviceEnvCollision from './service-env-collision/rule.js';
import serviceLinkVariableUndefined from './service-link-variable-undefined/rule.js';
import dnsReferenceUnknownService from './dns-reference-unknown-service/rule.js';
import localhostReferenceUnserved from './localhost-reference-unserved/rule.js';
import routeBackendUnknown from './route-backend-unknown/rule.js';
import routeNotAttached from './route-not-attached/rule.js';
import containerResourcesUnusable from './container-resources-unusable/rule.js';
import targetPortNotListening from './target-port-not-listening/rule.js';
import webhookServiceInvalid from './webhook-service-invalid/rule.js';
import ingressBackendUnknown from './ingress-backend-unknown/rule.js';
import selectorTooBroad from './selector-too-broad/rule.js';
import endpointsOrphaned from './endpoints-orphaned/rule.js';
import clusterPeersInvalid from './cluster-peers-invalid/rule.js';
import internalTrafficLocalPartial from './internal-traffic-local-partial/rule.js';
import probePortUndeclared from './probe-port-undeclared/rule.js';
import headlessPeerReadiness from './headless-peer-readiness/rule.js';
import headlessPortMismatch from './headless-port-mismatch/rule.js';
import podSubdomainUnknown from './pod-subdomain-unknown/rule.js';
import podDnsConfigInvalid from './pod-dns-config-invalid/rule.js';
import statefulsetServiceInvalid from './statefulset-service-invalid/rule.js';
import workloadSelectorMismatch from './workload-selector-mismatch/rule.js';
import containerPortNameInvalid from './container-port-name-invalid/rule.js';
import namespaceNameInvalid from './namespace-name-invalid/rule.js';
import servicePortsInvalid from './service-ports-invalid/rule.js';
import serviceSpecInvalid from './service-spec-invalid/rule.js';
import endpointsInvalid from './endpoints-invalid/rule.js';
import networkPolicyBlocksService from './network-policy-blocks-service/rule.js';
import networkPolicyBlocksDns from './network-policy-blocks-dns/rule.js';
import networkPolicyIneffective from './network-policy-ineffective/rule.js';
import meshMtlsMismatch from './mesh-mtls-mismatch/rule.js';
import hostPortConflict from './host-port-conflict/rule.js';
import meshProtocolMismatch from './mesh-protocol-mismatch/rule.js';

/** Every rule, in the order `svclint rules` lists them. One line per rule folder. */
export const RULES: readonly Rule[] = [
  yamlSyntax,
  fileUnreadable,
  renderFailed,
  schemaInvalid,
  fieldTypeInvalid,
  serviceNameInvalid,
  namespaceNameInvalid,
  servicePortsInvalid,
  serviceSpecInvalid,
  endpointsInvalid,
  containerPortNameInvalid,
  podDnsConfigInvalid,
  workloadSelectorMismatch,
  selectorNoMatch,
  endpointsNeverReady,
  podConfigMissing,
  runAsNonRootConflict,
  podSecurityRejected,
  hostPortConflict,
  targetPortUnresolved,
  targetPortUndeclared,
  targetPortNotListening,
  probePortUndeclared,
  containerResourcesUnusable,
  selectorTooBroad,
  internalTrafficLocalPartial,
  endpointsOrphaned,
  clusterPeersInvalid,
  statefulsetServiceInvalid,
  podSubdomainUnknown,
  headlessPortMismatch,
  headlessPeerReadiness,
  ingressBackendUnknown,
  routeBackendUnknown,
  routeNotAttached,
  webhookServiceInvalid,
  dnsReferenceUnknownService,
  localhostReferenceUnserved,
  serviceEnvCollision,
  serviceLinkVariableUndefined,
  networkPolicyBlocksService,
  networkPolicyBlocksDns,
  networkPolicyIneffective,
  meshMtlsMismatch,
  meshProtocolMismatch,
  serviceNoReadyEndpoints,
  manualEndpointsMissing,
  clusterDnsUnhealthy,
  kubeProxyUnhealthy,
  unusedSuppression,
];
