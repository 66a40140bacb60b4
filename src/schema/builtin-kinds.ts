/**
 * Validators of the built-in kinds kubeharden reads, compiled from the Kubernetes OpenAPI
 * description by kubernetes-models. Only these are bundled: each one pulls in the validators of
 * everything it contains, and a Pod alone is most of core/v1.
 */
import { validate as ValidatingWebhookConfiguration } from 'kubernetes-models/_schemas/IoK8sApiAdmissionregistrationV1ValidatingWebhookConfiguration';
import { validate as MutatingWebhookConfiguration } from 'kubernetes-models/_schemas/IoK8sApiAdmissionregistrationV1MutatingWebhookConfiguration';
import { validate as DaemonSet } from 'kubernetes-models/_schemas/IoK8sApiAppsV1DaemonSet';
import { validate as Deployment } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment';
import { validate as ReplicaSet } from 'kubernetes-models/_schemas/IoK8sApiAppsV1ReplicaSet';
import { validate as StatefulSet } from 'kubernetes-models/_schemas/IoK8sApiAppsV1StatefulSet';
import { validate as CronJob } from 'kubernetes-models/_schemas/IoK8sApiBatchV1CronJob';
import { validate as Job } from 'kubernetes-models/_schemas/IoK8sApiBatchV1Job';
import { validate as ConfigMap } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap';
import { validate as LimitRange } from 'kubernetes-models/_schemas/IoK8sApiCoreV1LimitRange';
import { validate as Namespace } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Namespace';
import { validate as Pod } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Pod';
import { validate as PodTemplate } from 'kubernetes-models/_schemas/IoK8sApiCoreV1PodTemplate';
import { validate as ReplicationController } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ReplicationController';
import { validate as ResourceQuota } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ResourceQuota';
import { validate as Secret } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Secret';
import { validate as Service } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Service';
import { validate as ServiceAccount } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount';
import { validate as NetworkPolicy } from 'kubernetes-models/_schemas/IoK8sApiNetworkingV1NetworkPolicy';
import { validate as ClusterRole } from 'kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRole';
import { validate as ClusterRoleBinding } from 'kubernetes-models/_schemas/IoK8sApiRbacV1ClusterRoleBinding';
import { validate as Role } from 'kubernetes-models/_schemas/IoK8sApiRbacV1Role';
import { validate as RoleBinding } from 'kubernetes-models/_schemas/IoK8sApiRbacV1RoleBinding';

/** What a kubernetes-models validator reports: ajv's error objects. */
export interface BuiltinError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface BuiltinValidator {
  (data: unknown): boolean;
  errors?: BuiltinError[] | null;
}

/**
 * Workloads (whose pods reach the node and the metadata API), RBAC, network policy, admission
 * webhooks, and the objects that hold credentials and configuration.
 */
export const BUILTIN_KINDS: Record<string, Record<string, BuiltinValidator>> = {
  v1: { Pod, PodTemplate, ReplicationController, Service, ServiceAccount, Secret, ConfigMap, Namespace, LimitRange, ResourceQuota },
  'apps/v1': { Deployment, DaemonSet, StatefulSet, ReplicaSet },
  'batch/v1': { Job, CronJob },
  'rbac.authorization.k8s.io/v1': { Role, ClusterRole, RoleBinding, ClusterRoleBinding },
  'networking.k8s.io/v1': { NetworkPolicy },
  'admissionregistration.k8s.io/v1': { ValidatingWebhookConfiguration, MutatingWebhookConfiguration },
};
