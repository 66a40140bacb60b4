import { describe, expect, it } from 'vitest';
import { extractYamlFile } from '../src/extract/index.js';
import { imageVersion } from '../src/extract/static-pod.js';
import type { Component } from '../src/model/types.js';
import { SourceFile } from '../src/parse/source-file.js';
import { parseYaml } from '../src/parse/yaml.js';

function components(text: string): Component[] {
  const out = { components: [] as Component[], encryption: [], audit: [], objects: [] };
  extractYamlFile(parseYaml(new SourceFile('pod.yaml', text)).documents, out);
  return out.components;
}

function pod(container: string, kind = 'Pod'): string {
  const body = container
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  if (kind === 'Pod') return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: kube-system\nspec:\n  containers:\n${body}\n`;
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: p\nspec:\n  template:\n    spec:\n      containers:\n${body.replace(/^/gm, '    ')}\n`;
}

/** The settings as `flag=value @line`, to show where each one was read. */
function settings(c: Component): string[] {
  return [...c.settings.values()].map((s) => `${s.flag}=${s.value} @${s.at.file.position(s.at.start).line}`);
}

describe('recognising control-plane components by their command line', () => {
  it('finds the program by the basename of a word in command or args, never by the pod name', () => {
    const [c] = components(pod('- name: kube-apiserver\n  image: x\n  command: [/usr/local/bin/kube-scheduler, --profiling=false]'));
    expect(c?.name).toBe('kube-scheduler');
    expect(c?.identity).toBe('Pod/kube-system/p:kube-apiserver');
  });

  it('reads flags after the program when a wrapper runs it (kops go-runner)', () => {
    const [c] = components(
      pod('- name: a\n  image: x\n  command: [/go-runner]\n  args: [--log-file=/var/log/a.log, /usr/local/bin/kube-apiserver, --anonymous-auth=false]'),
    );
    expect(c?.name).toBe('kube-apiserver');
    expect([...c!.settings.keys()]).toEqual(['--anonymous-auth']);
  });

  it('reads --x=y, split --x y, bare --x (true) and a repeated flag (the last wins)', () => {
    const [c] = components(
      pod(`- name: a
  image: x
  command:
    - kube-apiserver
    - --secure-port
    - "6443"
    - --profiling
    - --authorization-mode=RBAC
    - --authorization-mode=Node,RBAC`),
    );
    expect(settings(c!)).toEqual(['--secure-port=6443 @12', '--profiling=true @14', '--authorization-mode=Node,RBAC @16']);
  });

  it('splits a sh -c script into words, keeping positions inside the script', () => {
    const text = pod('- name: a\n  image: x\n  command: ["/bin/sh", "-c", "exec /usr/local/bin/kube-apiserver --v=2 --token-auth-file=/t.csv 1>>/var/log/a.log 2>&1"]');
    const [c] = components(text);
    const s = c!.settings.get('--token-auth-file')!;
    expect(s.value).toBe('/t.csv');
    expect(text.slice(s.at.start, s.at.end)).toBe('--token-auth-file=/t.csv');
  });

  it('reads etcd ETCD_* variables, with a flag winning over its variable', () => {
    const [c] = components(
      pod(`- name: etcd
  image: registry.k8s.io/etcd:3.5.21-0
  env:
    - name: ETCD_CERT_FILE
      value: /env.crt
    - name: ETCD_CLIENT_CERT_AUTH
      value: "true"
  command: [etcd, -cert-file=/flag.crt]`),
    );
    expect(c!.settings.get('--cert-file')!.value).toBe('/flag.crt');
    expect(c!.settings.get('--client-cert-auth')!.value).toBe('true');
  });

  it('finds components in Deployment and DaemonSet templates', () => {
    expect(components(pod('- name: a\n  image: x\n  command: [kube-controller-manager]', 'Deployment'))[0]?.name).toBe(
      'kube-controller-manager',
    );
    expect(components(pod('- name: a\n  image: x\n  command: [etcd]', 'DaemonSet'))[0]?.name).toBe('etcd');
  });

  it('uses the image entrypoint only when every word is a flag', () => {
    expect(components(pod('- name: a\n  image: registry.k8s.io/kube-proxy:v1.33.0\n  args: [--v=2]'))[0]?.name).toBe('kube-proxy');
    expect(components(pod('- name: a\n  image: registry.k8s.io/kube-proxy:v1.33.0\n  args: [sh, -c, "sleep 1"]'))).toEqual([]);
  });

  it('does not take etcd-manager or other programs for etcd', () => {
    expect(components(pod('- name: m\n  image: x\n  command: [/go-runner]\n  args: [/ko-app/etcd-manager, --client-urls=https://a:4001]'))).toEqual([]);
  });

  it('reads the version from the image tag', () => {
    expect(imageVersion('registry.k8s.io/kube-apiserver:v1.33.2')).toBe('1.33.2');
    expect(imageVersion('registry.k8s.io/etcd:3.5.21-0')).toBe('3.5.21');
    expect(imageVersion('localhost:5000/kube-apiserver')).toBeUndefined();
    expect(imageVersion('registry.k8s.io/kube-apiserver:v1.33.2@sha256:abc')).toBe('1.33.2');
    expect(imageVersion('${kube_apiserver_image}')).toBeUndefined();
  });

  it('marks placeholder values as unresolved', () => {
    const [c] = components(pod('- name: a\n  image: x\n  command: [kube-apiserver, "--etcd-servers=${etcd_servers}", --advertise-address=$(POD_IP)]'));
    expect(c!.settings.get('--etcd-servers')!.unresolved).toBe(true);
    expect(c!.settings.get('--advertise-address')!.unresolved).toBe(true);
  });
});
