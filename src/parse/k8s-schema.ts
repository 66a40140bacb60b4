import {
  Schema,
  YAML11_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  mapTag,
  seqTag,
  timestampTag,
} from 'js-yaml';

/**
 * The YAML schema Kubernetes reads with (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 scalars, so
 * `yes`/`on` are booleans and `0755` is octal, and merge keys work.
 *
 * Two departures from js-yaml's YAML11_SCHEMA, both because the value ends up in JSON:
 * - timestamps stay strings (go-yaml decodes them into `interface{}` as strings, and a date such as
 *   `until: 2027-03-01` must reach our code as text);
 * - application tags such as `!Ref` construct as their untagged value instead of failing, so a file
 *   from another tool does not become a parse error (it is then ignored as not Kubernetes).
 */
const localScalar = defineScalarTag<string>('!', {
  matchByTagPrefix: true,
  resolve: (source) => source,
  identify: () => false,
});
const localSequence = defineSequenceTag('!', { ...seqTag, matchByTagPrefix: true, identify: () => false });
const localMapping = defineMappingTag('!', { ...mapTag, matchByTagPrefix: true, identify: () => false });

export const KUBERNETES_YAML_SCHEMA = new Schema([
  ...YAML11_SCHEMA.tags.filter((tag) => tag.tagName !== timestampTag.tagName),
  localScalar,
  localSequence,
  localMapping,
]);
