// A small, offline renderer of the kustomizations under deploy/k8s: the subset they use
// (resources, namespace, labels, images, JSON 6902 patches with a target), so CI renders them
// without kubectl or a download. Where kubectl is installed, k8s.spec.ts checks that both agree.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target: { kind?: string; name?: string }; patch: string }[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'patches',
]);

export function renderKustomization(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const unknown = Object.keys(k).filter((f) => !KNOWN_FIELDS.has(f));
  if (unknown.length > 0)
    throw new Error(`${dir}: the renderer does not know ${unknown.join(', ')}`);
  let objects: K8sObject[] = (k.resources ?? []).flatMap((r) => {
    const path = join(dir, r);
    return statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path);
  });
  for (const { pairs, includeSelectors } of k.labels ?? []) {
    if (includeSelectors) throw new Error('labels.includeSelectors is not supported');
    for (const o of objects) o.metadata.labels = { ...o.metadata.labels, ...pairs };
  }
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const image of k.images ?? []) {
    for (const o of objects) for (const c of containersOf(o)) c.image = retag(c.image, image);
  }
  for (const { target, patch } of k.patches ?? []) {
    const name = target.name ? new RegExp(`^(?:${target.name})$`) : undefined;
    const ops = parse(patch) as PatchOp[];
    objects = objects.map((o) =>
      (!target.kind || o.kind === target.kind) && (!name || name.test(o.metadata.name))
        ? applyPatch(o, ops)
        : o,
    );
  }
  return objects;
}

function readObjects(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** The containers of a workload's pod template (Deployment, Job), none for other kinds. */
export function containersOf(o: K8sObject): { name: string; image: string }[] {
  const spec = (o.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template
    ?.spec;
  return [
    ...((spec?.initContainers as []) ?? []),
    ...((spec?.containers as { name: string; image: string }[]) ?? []),
  ];
}

function retag(ref: string, image: { name: string; newName?: string; newTag?: string }): string {
  const at = ref.lastIndexOf(':');
  const [name, tag] = at > ref.lastIndexOf('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, ''];
  if (name !== image.name) return ref;
  const newTag = image.newTag ?? tag;
  return `${image.newName ?? name}${newTag ? `:${newTag}` : ''}`;
}

interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

function applyPatch(object: K8sObject, ops: PatchOp[]): K8sObject {
  const copy = structuredClone(object);
  for (const { op, path, value } of ops) {
    const keys = path
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let node = copy as unknown as Record<string, unknown>;
    for (const key of keys) {
      if (typeof node[key] !== 'object' || node[key] === null) {
        throw new Error(`${object.kind}/${object.metadata.name}: no ${path}`);
      }
      node = node[key] as Record<string, unknown>;
    }
    if (op !== 'add' && !(last in node)) {
      throw new Error(`${object.kind}/${object.metadata.name}: cannot ${op} missing ${path}`);
    }
    if (Array.isArray(node) && op === 'add') {
      node.splice(last === '-' ? node.length : Number(last), 0, value);
    } else if (op === 'remove') {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete node[last];
    } else {
      node[last] = value;
    }
  }
  return copy;
}

export const K8S_DIR = join(dirname(__dirname), '..', 'deploy', 'k8s');
