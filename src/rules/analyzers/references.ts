import type { Component, Model } from '../../model/types.js';
import { analyzerFinding, type Analyzer } from './index.js';

/** Path flags whose file kubeharden could not find, so what they point to is not judged. */
export const references: Analyzer = (rule, _params, model, input, out) => {
  for (const scope of model.scopes) {
    for (const component of scope.components) {
      for (const [flag, reference] of component.references ?? []) {
        if (reference.kind !== 'unresolved') continue;
        const setting = component.settings.get(flag)!;
        const deleted = input.base ? fileAtBase(input.base, component, flag) : undefined;
        const detail = deleted
          ? `\`${flag}=${setting.value}\` names \`${deleted}\`, which this change deletes: the component will not start without the file, or what it held is no longer in the repository to check`
          : `\`${flag}=${setting.value}\` names a file kubeharden cannot find in the repository: ${reference.why}. Its content is not checked; map \`${reference.path}\` to the repository file under \`files:\` in .kubeharden.yml`;
        out.push(analyzerFinding(rule, setting.valueAt ?? setting.at, detail, `${component.identity} ${flag} unresolved`));
      }
    }
  }
};

/** The repository file the same component's flag named at the base of the change, if it did. */
function fileAtBase(base: Model, component: Component, flag: string): string | undefined {
  for (const scope of base.scopes) {
    const before = scope.components.find((c) => c.identity === component.identity);
    const reference = before?.references?.get(flag);
    if (reference?.kind === 'encryption' && reference.how !== 'generated') return reference.config.file.path;
    if (reference?.kind === 'audit') return reference.policy.file.path;
  }
  return undefined;
}
