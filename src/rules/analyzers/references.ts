import { analyzerFinding, type Analyzer } from './index.js';

/** Path flags whose file kubeharden could not find, so what they point to is not judged. */
export const references: Analyzer = (rule, _params, model, _input, out) => {
  for (const scope of model.scopes) {
    for (const component of scope.components) {
      for (const [flag, reference] of component.references ?? []) {
        if (reference.kind !== 'unresolved') continue;
        const setting = component.settings.get(flag)!;
        const detail = `\`${flag}=${setting.value}\` names a file kubeharden cannot find in the repository: ${reference.why}. Its content is not checked; map \`${reference.path}\` to the repository file under \`files:\` in .kubeharden.yml`;
        out.push(analyzerFinding(rule, setting.valueAt ?? setting.at, detail, `${component.identity} ${flag} unresolved`));
      }
    }
  }
};
