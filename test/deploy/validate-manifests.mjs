// Validates Kubernetes objects (a JSON array on stdin) against the API's OpenAPI schemas as the
// kubernetes-models package ships them, offline. An ES module run by node itself: the package and
// its validators are ES modules only, which jest's CommonJS runtime cannot load.
// Prints a JSON array: one { key, error } per object, error null when valid.
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

const MODELS = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((o) => {
  const key = `${o.apiVersion}/${o.kind}/${o.metadata?.name}`;
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) return { key, error: `no schema known for ${o.apiVersion} ${o.kind}` };
  try {
    new Model(o).validate();
    return { key, error: null };
  } catch (err) {
    return { key, error: String(err.message ?? err) };
  }
});
process.stdout.write(JSON.stringify(results));
