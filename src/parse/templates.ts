/**
 * Files that are templates rather than configuration (Helm/Go templates, Jinja, Terraform
 * template directives). What the cluster runs is their rendered form, so judging the template
 * would be a guess: kubeharden says it did not check them instead.
 *
 * A file that parses cleanly is read as configuration even if some values hold `{{ … }}` (a
 * ConfigMap with alerting templates, a quoted Helm expression): those values count as
 * placeholders, which rules leave alone.
 */
const TEMPLATE_EXTENSION = /\.(j2|jinja2?|tpl|gotmpl|tmpl)$/;
const TEMPLATE_MARKER = /\{\{|\{%|%\{/;

export function templateKind(
  path: string,
  text: string,
  parsedCleanly: boolean,
  inHelmChart: boolean,
): string | undefined {
  if (TEMPLATE_EXTENSION.test(path)) return 'a template file';
  if (inHelmChart && TEMPLATE_MARKER.test(text)) return 'a Helm chart template';
  if (!parsedCleanly && TEMPLATE_MARKER.test(text)) return 'template syntax';
  return undefined;
}

/** Folders that hold a Helm chart's templates: `<chart>/templates/` beside a `<chart>/Chart.yaml`. */
export function helmTemplateDirs(paths: readonly string[]): string[] {
  const dirs: string[] = [];
  for (const p of paths) {
    if (p === 'Chart.yaml' || p.endsWith('/Chart.yaml')) dirs.push(p.slice(0, -'Chart.yaml'.length) + 'templates/');
  }
  return dirs;
}
