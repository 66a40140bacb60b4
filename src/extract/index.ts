import type { Component } from '../model/types.js';
import type { KubeObject } from './objects.js';
import { extractStaticPods } from './static-pod.js';

/** Sends each object to the extractors that read its kind. Adding a format is one line here. */
export function extractObjects(object: KubeObject, components: Component[]): void {
  extractStaticPods(object, components);
}
