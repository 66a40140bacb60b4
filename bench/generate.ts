import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A synthetic GitOps repository shaped like real ones: `clusters/<name>/` folders, each with a
 * kubeadm-style control plane (static pods), RBAC, workloads, config and policies, some files
 * holding many documents. Deterministic: the same seed writes the same bytes.
 */
export function generateRepository(dir: string, options: { clusters: number; seed?: number }): { files: number; documents: number } {
  rmSync(dir, { recursive: true, force: true });
  let seed = options.seed ?? 42;
  const random = () => {
    // mulberry32: small, fast and good enough for varied test data
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let files = 0;
  let documents = 0;
  const write = (rel: string, docs: string[]) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, docs.join('---\n'));
    files++;
    documents += docs.length;
  };

  for (let c = 0; c < options.clusters; c++) {
    const cluster = `cluster-${String(c).padStart(3, '0')}`;
    const base = `clusters/${cluster}`;
    const insecure = random() < 0.3;
    write(`${base}/control-plane/kube-apiserver.yaml`, [apiserver(insecure, pick)]);
    write(`${base}/control-plane/etcd.yaml`, [etcd(insecure)]);
    write(`${base}/control-plane/kube-controller-manager.yaml`, [simple('kube-controller-manager', insecure)]);
    write(`${base}/control-plane/kube-scheduler.yaml`, [simple('kube-scheduler', insecure)]);
    const namespaces = ['payments', 'search', 'web', 'batch', 'ops'];
    write(`${base}/rbac/roles.yaml`, namespaces.flatMap((ns) => [role(ns, pick), binding(ns)]));
    for (const ns of namespaces) {
      const apps = Array.from({ length: 2 }, (_, i) => `${ns}-app-${i}`);
      write(
        `${base}/apps/${ns}/workloads.yaml`,
        apps.flatMap((app) => [deployment(ns, app, pick, random), service(ns, app), configMap(ns, app, random)]),
      );
      write(`${base}/apps/${ns}/policy.yaml`, [networkPolicy(ns), serviceAccount(ns)]);
    }
  }
  return { files, documents };
}

function apiserver(insecure: boolean, pick: <T>(items: readonly T[]) => T): string {
  const flags = [
    '--advertise-address=10.0.0.10',
    `--anonymous-auth=${insecure ? 'true' : 'false'}`,
    `--authorization-mode=${insecure ? pick(['AlwaysAllow', 'RBAC']) : 'Node,RBAC'}`,
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--enable-admission-plugins=NodeRestriction',
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    `--etcd-servers=${insecure ? 'http' : 'https'}://127.0.0.1:2379`,
    '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
    '--secure-port=6443',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    '--service-cluster-ip-range=10.96.0.0/12',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  ];
  return staticPod('kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.33.2', flags);
}

function etcd(insecure: boolean): string {
  const scheme = insecure ? 'http' : 'https';
  return staticPod('etcd', 'registry.k8s.io/etcd:3.5.21-0', [
    `--advertise-client-urls=${scheme}://10.0.0.10:2379`,
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    `--client-cert-auth=${!insecure}`,
    '--data-dir=/var/lib/etcd',
    '--initial-advertise-peer-urls=https://10.0.0.10:2380',
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
    `--listen-client-urls=${scheme}://127.0.0.1:2379,${scheme}://10.0.0.10:2379`,
    '--listen-peer-urls=https://10.0.0.10:2380',
    '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
    '--peer-client-cert-auth=true',
    '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
    `--trusted-ca-file=/etc/kubernetes/pki/${insecure ? '' : 'etcd/'}ca.crt`,
  ]);
}

function simple(name: string, insecure: boolean): string {
  return staticPod(name, `registry.k8s.io/${name}:v1.33.2`, [
    `--bind-address=${insecure ? '0.0.0.0' : '127.0.0.1'}`,
    `--kubeconfig=/etc/kubernetes/${name.replace('kube-', '')}.conf`,
    '--leader-elect=true',
    '--profiling=false',
  ]);
}

function staticPod(name: string, image: string, flags: string[]): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: kube-system
  labels:
    component: ${name}
    tier: control-plane
spec:
  hostNetwork: true
  priorityClassName: system-node-critical
  containers:
    - name: ${name}
      image: ${image}
      command:
        - ${name}
${flags.map((f) => `        - ${f}`).join('\n')}
      livenessProbe:
        httpGet: {host: 127.0.0.1, path: /livez, port: 6443, scheme: HTTPS}
        initialDelaySeconds: 10
      volumeMounts:
        - {mountPath: /etc/kubernetes/pki, name: k8s-certs, readOnly: true}
  volumes:
    - name: k8s-certs
      hostPath: {path: /etc/kubernetes/pki, type: DirectoryOrCreate}
`;
}

function role(ns: string, pick: <T>(items: readonly T[]) => T): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${ns}-deployer
  namespace: ${ns}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments", "replicasets"]
    verbs: ["get", "list", "watch", "update", "patch"]
  - apiGroups: [""]
    resources: [${pick(['"configmaps"', '"secrets"', '"pods"'])}]
    verbs: ["get", "list"]
`;
}

function binding(ns: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${ns}-deployer
  namespace: ${ns}
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ${ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${ns}-deployer
`;
}

function deployment(ns: string, app: string, pick: <T>(items: readonly T[]) => T, random: () => number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels: {app: ${app}, team: ${ns}}
spec:
  replicas: ${1 + Math.floor(random() * 5)}
  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}}
    spec:
      serviceAccountName: ${app}
      containers:
        - name: app
          image: ghcr.io/example/${app}:${pick(['1.4.2', '2.0.0', '2.1.3'])}
          args: ["--port=8080", "--log-level=${pick(['info', 'debug'])}"]
          ports: [{containerPort: 8080, name: http}]
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            capabilities: {drop: ["ALL"]}
`;
}

function service(ns: string, app: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector: {app: ${app}}
  ports:
    - {name: http, port: 80, targetPort: http}
`;
}

function configMap(ns: string, app: string, random: () => number): string {
  const lines = Array.from({ length: 8 }, (_, i) => `    key${i}=${Math.floor(random() * 1e6)}`).join('\n');
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${ns}
data:
  app.properties: |
${lines}
`;
}

function networkPolicy(ns: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: [169.254.169.254/32]
`;
}

function serviceAccount(ns: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: deployer
  namespace: ${ns}
automountServiceAccountToken: false
`;
}

/**
 * One cluster's RBAC at the scale of a large multi-tenant platform: `teams` namespaces, each with
 * Roles, RoleBindings to them and to the built-in ClusterRoles, plus ClusterRoles (some joining
 * the built-in aggregation chain) and ClusterRoleBindings to groups and service accounts; about
 * five objects per team. Deterministic.
 */
export function generateRbacRepository(dir: string, options: { teams: number }): { files: number; documents: number } {
  rmSync(dir, { recursive: true, force: true });
  let files = 0;
  let documents = 0;
  const verbs = ['["get", "list", "watch"]', '["create", "update", "patch"]', '["*"]', '["get"]'];
  const resources = ['["pods"]', '["configmaps", "services"]', '["secrets"]', '["deployments"]', '["pods/exec"]', '["jobs"]'];
  for (let t = 0; t < options.teams; t++) {
    const ns = `team-${String(t).padStart(4, '0')}`;
    const docs = [
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: developer\n  namespace: ${ns}\nrules:\n  - apiGroups: ["", "apps", "batch"]\n    resources: ${resources[t % resources.length]}\n    verbs: ${verbs[t % verbs.length]}\n  - apiGroups: [""]\n    resources: ["pods/log"]\n    verbs: ["get"]\n`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: developers\n  namespace: ${ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: developer\nsubjects:\n  - kind: Group\n    apiGroup: rbac.authorization.k8s.io\n    name: ${ns}-developers\n  - kind: ServiceAccount\n    name: ci\n`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: admins\n  namespace: ${ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${t % 3 === 0 ? 'admin' : t % 3 === 1 ? 'edit' : 'view'}\nsubjects:\n  - kind: Group\n    apiGroup: rbac.authorization.k8s.io\n    name: ${ns}-admins\n`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${ns}-crd-viewer\n${t % 10 === 0 ? '  labels:\n    rbac.authorization.k8s.io/aggregate-to-view: "true"\n' : ''}rules:\n  - apiGroups: ["${ns}.example.com"]\n    resources: ["widgets"]\n    verbs: ${t % 50 === 0 ? '["get", "list", "create"]' : '["get", "list", "watch"]'}\n`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ${ns}-crd-viewer\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${ns}-crd-viewer\nsubjects:\n  - kind: ServiceAccount\n    name: operator\n    namespace: ${ns}\n`,
    ];
    const file = path.join(dir, 'rbac', `${ns}.yaml`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, docs.join('---\n'));
    files++;
    documents += docs.length;
  }
  return { files, documents };
}
