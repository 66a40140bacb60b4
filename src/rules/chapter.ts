/**
 * Sections of the chapter this project grew from (../shared/seed), which rules cite by key. The
 * chapter is in Chinese with some English headings; both titles are kept so a reader can find it.
 */
export const CHAPTER_SECTIONS = {
  'os-choice': { en: 'Choice of operating system', zh: '操作系统的选择' },
  'non-essential-processes': { en: 'Non-essential processes', zh: '非必要进程' },
  'host-firewall': { en: 'Host-based firewalling', zh: '防火墙主机化' },
  'cis-benchmarks': { en: 'CIS benchmarks', zh: 'CIS 基准' },
  'securing-etcd': { en: 'Securing the Kubernetes datastore', zh: '保护 Kubernetes 数据存储' },
  'securing-api-server': { en: 'Securing the Kubernetes API server', zh: '保护 Kubernetes API 服务器的安全性' },
  'secrets-at-rest': { en: 'Encrypting Kubernetes Secrets at rest', zh: '在静止状态下加密 Kubernetes Secrets' },
  'rotate-credentials': { en: 'Rotating credentials frequently', zh: '频繁轮换凭据' },
  'authn-rbac': { en: 'Authentication and RBAC', zh: '认证和 RBAC' },
  'cloud-metadata': { en: 'Restricting cloud metadata API access', zh: '限制云元数据 API 访问' },
  auditing: { en: 'Enable auditing', zh: 'Enable Auditing' },
  'alpha-beta-features': { en: 'Restricting access to alpha or beta features', zh: '限制对 alpha 或 beta 功能的访问' },
  'upgrade-often': { en: 'Upgrading Kubernetes frequently', zh: '频繁升级 Kubernetes' },
  'managed-services': { en: 'Using managed Kubernetes services', zh: '使用托管的 Kubernetes 服务' },
  'network-security': { en: 'Network security', zh: '网络安全' },
} as const;

export type ChapterSection = keyof typeof CHAPTER_SECTIONS;
