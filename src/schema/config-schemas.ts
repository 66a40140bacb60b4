/**
 * JSON Schemas of the configuration kinds kubeharden reads, which the Kubernetes OpenAPI does not
 * describe. Field names come from the Go types (k8s.io/kubelet/config/v1beta1, kubeadm v1beta3 and
 * v1beta4, k8s.io/apiserver config v1 and audit v1). Objects are closed: a field a component does not
 * know is reported, because the component ignores it and keeps its default.
 */
type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const any: Schema = {};
const list = (items: Schema): Schema => ({ type: 'array', items });
const strs = list(str);
const mapOf = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });
const strMap = mapOf(str);
/** A closed object: only these fields. */
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length ? { required } : {}),
});
/** Fields every config document may carry (kind patches often add metadata). */
const typeMeta = { apiVersion: str, kind: str, metadata: any };

// ---------------------------------------------------------------- kubelet.config.k8s.io/v1beta1
const kubeletAuthentication = obj({
  x509: obj({ clientCAFile: str }),
  webhook: obj({ enabled: bool, cacheTTL: str }),
  anonymous: obj({ enabled: bool }),
});
const kubeletAuthorization = obj({
  mode: { enum: ['AlwaysAllow', 'Webhook'] },
  webhook: obj({ cacheAuthorizedTTL: str, cacheUnauthorizedTTL: str }),
});

export const KUBELET_CONFIGURATION: Schema = obj({
  ...typeMeta,
  enableServer: bool,
  staticPodPath: str,
  podLogsDir: str,
  syncFrequency: str,
  fileCheckFrequency: str,
  httpCheckFrequency: str,
  staticPodURL: str,
  staticPodURLHeader: mapOf(strs),
  address: str,
  port: int,
  readOnlyPort: int,
  tlsCertFile: str,
  tlsPrivateKeyFile: str,
  tlsCipherSuites: strs,
  tlsCurvePreferences: list(int),
  tlsMinVersion: str,
  rotateCertificates: bool,
  serverTLSBootstrap: bool,
  authentication: kubeletAuthentication,
  authorization: kubeletAuthorization,
  registryPullQPS: int,
  registryBurst: int,
  imagePullCredentialsVerificationPolicy: str,
  preloadedImagesVerificationAllowlist: strs,
  eventRecordQPS: int,
  eventBurst: int,
  enableDebuggingHandlers: bool,
  enableContentionProfiling: bool,
  healthzPort: int,
  healthzBindAddress: str,
  oomScoreAdj: int,
  clusterDomain: str,
  clusterDNS: strs,
  streamingConnectionIdleTimeout: str,
  nodeStatusUpdateFrequency: str,
  nodeStatusReportFrequency: str,
  nodeLeaseDurationSeconds: int,
  imageMinimumGCAge: str,
  imageMaximumGCAge: str,
  imageGCHighThresholdPercent: int,
  imageGCLowThresholdPercent: int,
  volumeStatsAggPeriod: str,
  kubeletCgroups: str,
  systemCgroups: str,
  cgroupRoot: str,
  cgroupsPerQOS: bool,
  cgroupDriver: str,
  cpuManagerPolicy: str,
  singleProcessOOMKill: bool,
  cpuManagerPolicyOptions: strMap,
  cpuManagerReconcilePeriod: str,
  draManagerReconcilePeriod: str,
  memoryManagerPolicy: str,
  topologyManagerPolicy: str,
  topologyManagerScope: str,
  topologyManagerPolicyOptions: strMap,
  qosReserved: strMap,
  runtimeRequestTimeout: str,
  hairpinMode: str,
  maxPods: int,
  podCIDR: str,
  podPidsLimit: int,
  resolvConf: str,
  runOnce: bool,
  cpuCFSQuota: bool,
  cpuCFSQuotaPeriod: str,
  nodeStatusMaxImages: int,
  maxOpenFiles: int,
  contentType: str,
  kubeAPIQPS: int,
  kubeAPIBurst: int,
  serializeImagePulls: bool,
  maxParallelImagePulls: int,
  evictionHard: strMap,
  evictionSoft: strMap,
  evictionSoftGracePeriod: strMap,
  evictionPressureTransitionPeriod: str,
  evictionMaxPodGracePeriod: int,
  evictionMinimumReclaim: strMap,
  mergeDefaultEvictionSettings: bool,
  podsPerCore: int,
  enableControllerAttachDetach: bool,
  protectKernelDefaults: bool,
  makeIPTablesUtilChains: bool,
  iptablesMasqueradeBit: int,
  iptablesDropBit: int,
  featureGates: mapOf(bool),
  failSwapOn: bool,
  memorySwap: obj({ swapBehavior: str }),
  containerLogMaxSize: str,
  containerLogMaxFiles: int,
  containerLogMaxWorkers: int,
  containerLogMonitorInterval: str,
  configMapAndSecretChangeDetectionStrategy: { enum: ['Get', 'Cache', 'Watch'] },
  systemReserved: strMap,
  kubeReserved: strMap,
  reservedSystemCPUs: str,
  showHiddenMetricsForVersion: str,
  systemReservedCgroup: str,
  kubeReservedCgroup: str,
  enforceNodeAllocatable: strs,
  allowedUnsafeSysctls: strs,
  volumePluginDir: str,
  providerID: str,
  kernelMemcgNotification: bool,
  logging: any,
  enableSystemLogHandler: bool,
  enableSystemLogQuery: bool,
  shutdownGracePeriod: str,
  shutdownGracePeriodCriticalPods: str,
  shutdownGracePeriodByPodPriority: list(obj({ priority: int, shutdownGracePeriodSeconds: int })),
  crashLoopBackOff: obj({ maxContainerRestartPeriod: str }),
  reservedMemory: list(obj({ numaNode: int, limits: strMap })),
  enableProfilingHandler: bool,
  enableDebugFlagsHandler: bool,
  seccompDefault: bool,
  memoryThrottlingFactor: num,
  memoryReservationPolicy: str,
  registerWithTaints: list(any),
  registerNode: bool,
  tracing: any,
  localStorageCapacityIsolation: bool,
  containerRuntimeEndpoint: str,
  imageServiceEndpoint: str,
  failCgroupV1: bool,
  userNamespaces: obj({ idsPerPod: int }),
});

// ---------------------------------------------------------------- kubeadm.k8s.io v1beta3, v1beta4
const hostPathMount = obj({ name: str, hostPath: str, mountPath: str, readOnly: bool, pathType: str });
const argList = list(obj({ name: str, value: str }, ['name']));

function kubeadm(version: 'v1beta3' | 'v1beta4'): Record<string, Schema> {
  const v4 = version === 'v1beta4';
  const args = v4 ? argList : strMap;
  const component = (extra: Record<string, Schema> = {}): Schema =>
    obj({ extraArgs: args, extraVolumes: list(hostPathMount), ...(v4 ? { extraEnvs: list(any) } : {}), ...extra });
  const imageMeta = { imageRepository: str, imageTag: str };
  const nodeRegistration = obj({
    name: str,
    criSocket: str,
    taints: { type: ['array', 'null'] },
    kubeletExtraArgs: args,
    ignorePreflightErrors: strs,
    imagePullPolicy: str,
    ...(v4 ? { imagePullSerial: bool } : {}),
  });
  const apiEndpoint = obj({ advertiseAddress: str, bindPort: int });
  const timeouts = obj({
    controlPlaneComponentHealthCheck: str,
    kubeletHealthCheck: str,
    kubernetesAPICall: str,
    etcdAPICall: str,
    tlsBootstrap: str,
    discovery: str,
    upgradeManifests: str,
  });
  const bootstrapToken = obj({ token: str, description: str, ttl: str, expires: str, usages: strs, groups: strs });
  const patches = obj({ directory: str });
  const cluster = obj({
    ...typeMeta,
    etcd: obj({
      local: obj({
        ...imageMeta,
        dataDir: str,
        extraArgs: args,
        ...(v4 ? { extraEnvs: list(any) } : {}),
        serverCertSANs: strs,
        peerCertSANs: strs,
      }),
      external: obj({ endpoints: strs, caFile: str, certFile: str, keyFile: str, ...(v4 ? { httpEndpoints: strs } : {}) }),
    }),
    networking: obj({ serviceSubnet: str, podSubnet: str, dnsDomain: str }),
    kubernetesVersion: str,
    controlPlaneEndpoint: str,
    apiServer: component({ certSANs: strs, ...(v4 ? {} : { timeoutForControlPlane: str }) }),
    controllerManager: component(),
    scheduler: component(),
    dns: obj({ ...imageMeta, ...(v4 ? { disabled: bool } : {}) }),
    ...(v4 ? { proxy: obj({ disabled: bool }), encryptionAlgorithm: str, certificateValidityPeriod: str, caCertificateValidityPeriod: str } : {}),
    certificatesDir: str,
    imageRepository: str,
    featureGates: mapOf(bool),
    clusterName: str,
  });
  const init = obj({
    ...typeMeta,
    bootstrapTokens: list(bootstrapToken),
    nodeRegistration,
    localAPIEndpoint: apiEndpoint,
    certificateKey: str,
    skipPhases: strs,
    patches,
    ...(v4 ? { dryRun: bool, timeouts } : {}),
  });
  const join = obj({
    ...typeMeta,
    nodeRegistration,
    caCertPath: str,
    discovery: obj({
      bootstrapToken: obj({ token: str, apiServerEndpoint: str, caCertHashes: strs, unsafeSkipCAVerification: bool }),
      file: obj({ kubeConfigPath: str }),
      tlsBootstrapToken: str,
      ...(v4 ? {} : { timeout: str }),
    }),
    controlPlane: obj({ localAPIEndpoint: apiEndpoint, certificateKey: str }),
    skipPhases: strs,
    patches,
    ...(v4 ? { dryRun: bool, timeouts } : {}),
  });
  return { ClusterConfiguration: cluster, InitConfiguration: init, JoinConfiguration: join };
}

// ---------------------------------------------------------------- apiserver.config.k8s.io/v1
const keys = obj({ keys: list(obj({ name: str, secret: str }, ['name', 'secret'])) }, ['keys']);
export const ENCRYPTION_CONFIGURATION: Schema = obj({
  ...typeMeta,
  resources: list(
    obj(
      {
        resources: strs,
        providers: list(
          obj({
            identity: obj({}),
            aesgcm: keys,
            aescbc: keys,
            secretbox: keys,
            kms: obj({ apiVersion: { enum: ['v1', 'v2'] }, name: str, endpoint: str, cachesize: int, timeout: str }, ['name']),
          }),
        ),
      },
      ['resources', 'providers'],
    ),
  ),
}, ['resources']);

// ---------------------------------------------------------------- audit.k8s.io/v1
const stage = { enum: ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] };
export const AUDIT_POLICY: Schema = obj(
  {
    ...typeMeta,
    rules: {
      type: 'array',
      minItems: 1,
      items: obj(
        {
          level: { enum: ['None', 'Metadata', 'Request', 'RequestResponse'] },
          users: strs,
          userGroups: strs,
          verbs: strs,
          resources: list(obj({ group: str, resources: strs, resourceNames: strs })),
          namespaces: strs,
          nonResourceURLs: strs,
          omitStages: list(stage),
          omitManagedFields: bool,
        },
        ['level'],
      ),
    },
    omitStages: list(stage),
    omitManagedFields: bool,
  },
  ['rules'],
);

/** Schemas by `apiVersion` and `kind`. */
export const CONFIG_SCHEMAS: Record<string, Record<string, Schema>> = {
  'kubelet.config.k8s.io/v1beta1': { KubeletConfiguration: KUBELET_CONFIGURATION },
  'kubeadm.k8s.io/v1beta3': kubeadm('v1beta3'),
  'kubeadm.k8s.io/v1beta4': kubeadm('v1beta4'),
  'apiserver.config.k8s.io/v1': { EncryptionConfiguration: ENCRYPTION_CONFIGURATION },
  'audit.k8s.io/v1': { Policy: AUDIT_POLICY },
};
