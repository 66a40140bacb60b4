import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * A local GitHub for the Action's scenario tests: the REST operations the Action uses and the two
 * GraphQL documents it sends, with GitHub's behaviour where it matters (a review comment off the
 * diff is a 422 that sinks the whole review, a read-only token gets 403, a secondary rate limit
 * answers 403 with retry-after, files come 100 a page up to 3,000). Every request is checked
 * against GitHub's published OpenAPI description (test/github/openapi.json, generated from
 * @octokit/openapi by scripts/github-openapi.ts): an undescribed path, method, query parameter or
 * body field is refused and recorded, and so is a response of ours that does not match it.
 */

const SPEC = JSON.parse(readFileSync(path.join(__dirname, 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation | unknown[]>>;
  components: { parameters: Record<string, Parameter> };
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: { type?: string; enum?: unknown[] };
  $ref?: string;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/** OpenAPI 3.0 lets `nullable: true` admit null even past an `enum`; JSON Schema needs null in the enum. */
function nullableEnums(value: unknown): void {
  if (Array.isArray(value)) value.forEach(nullableEnums);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum.push(null);
    Object.values(o).forEach(nullableEnums);
  }
}
nullableEnums(SPEC);

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(SPEC, 'github');
/** Responses the server does not reproduce in full (the Action reads a few fields of them): not validated. */
const PARTIAL_RESPONSES = new Set(['pulls/get']);

function pointer(...segments: string[]): string {
  return 'github#/' + segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  operation: Operation;
  body?: ValidateFunction;
  responses: Map<string, ValidateFunction>;
}

const ROUTES: Route[] = [];
for (const [template, item] of Object.entries(SPEC.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (method === 'parameters') continue;
    const operation = op as Operation;
    const names: string[] = [];
    const regex = new RegExp('^' + template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), n === 'path' ? '(.+)' : '([^/]+)')) + '$');
    const body = operation.requestBody?.content['application/json'] ? ajv.compile({ $ref: pointer('paths', template, method, 'requestBody', 'content', 'application/json', 'schema') }) : undefined;
    const responses = new Map<string, ValidateFunction>();
    for (const [status, response] of Object.entries(operation.responses)) {
      if (response.content?.['application/json']) responses.set(status, ajv.compile({ $ref: pointer('paths', template, method, 'responses', status, 'content', 'application/json', 'schema') }));
    }
    ROUTES.push({ method: method.toUpperCase(), template, regex, names, operation, ...(body ? { body } : {}), responses });
  }
}

function parametersOf(op: Operation): Parameter[] {
  return (op.parameters ?? []).map((p) => (p.$ref ? SPEC.components.parameters[p.$ref.split('/').pop()!]! : p));
}

export interface RecordedRequest {
  method: string;
  path: string;
  operation: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface ChangedFileFixture {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed';
  patch?: string;
  previous_filename?: string;
  additions?: number;
  deletions?: number;
}

export interface PullFixture {
  number: number;
  headSha: string;
  baseSha: string;
  headRepo: string;
  files: ChangedFileFixture[];
}

interface ReviewComment {
  id: number;
  node_id: string;
  pull_request_review_id: number | null;
  path: string;
  line: number | null;
  side: 'RIGHT';
  subject_type: 'line' | 'file';
  body: string;
  commit_id: string;
  user: 'bot' | 'person';
  minimized: boolean;
  created_at: string;
  updated_at: string;
}

interface IssueComment {
  id: number;
  node_id: string;
  body: string;
  user: 'bot' | 'person';
  created_at: string;
  updated_at: string;
}

interface CheckRun {
  id: number;
  node_id: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: unknown[];
}

/** The state of the fake GitHub, which scenario tests set up and assert on. */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Requests or responses that do not match GitHub's OpenAPI description: must stay empty. */
  readonly violations: string[] = [];
  readonly owner = 'octo';
  readonly repo = 'cluster-config';
  pulls = new Map<number, PullFixture>();
  reviewComments: ReviewComment[] = [];
  issueComments: IssueComment[] = [];
  checkRuns: CheckRun[] = [];
  reviews: { id: number; event: string; body: string; commit_id: string }[] = [];
  /** commit → path → contents, for the contents API. */
  contents = new Map<string, Map<string, string>>();
  /** Tokens and what they may do. */
  tokens = new Map<string, 'write' | 'read'>([
    ['ghs_write_token', 'write'],
    ['ghs_read_token', 'read'],
  ]);
  /** Content-creating requests to answer with a secondary rate limit before letting them through. */
  secondaryRateLimits = 0;
  #nextId = 1000;
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** Requests that change something on GitHub. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !(r.operation === 'graphql' && !String((r.body as { query?: string })?.query ?? '').trimStart().startsWith('mutation')));
  }

  #id(): number {
    return this.#nextId++;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, operation: '', query, body, status: 0 };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}, validate?: ValidateFunction) => {
      record.status = status;
      if (validate && !validate(payload)) this.violations.push(`response of ${record.operation} ${status} does not match the OpenAPI description: ${ajv.errorsText(validate.errors)}`);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const error = (status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      send(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra }, headers);

    const auth = req.headers.authorization?.replace(/^(token|bearer) /i, '');
    const access = auth ? this.tokens.get(auth) : undefined;
    if (!access) return error(401, 'Bad credentials');

    if (url.pathname === '/graphql' && req.method === 'POST') {
      record.operation = 'graphql';
      return this.#graphql(body as { query?: string; variables?: Record<string, unknown> }, access, send, error);
    }
    const route = ROUTES.find((r) => r.method === req.method && r.regex.test(url.pathname));
    if (!route) {
      this.violations.push(`${req.method} ${url.pathname} is not an operation the Action may use`);
      return error(404, 'Not Found');
    }
    record.operation = route.operation.operationId;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(route.regex.exec(url.pathname)![i + 1]!)]));
    // Query parameters must be ones the operation declares, of the declared type.
    const declared = parametersOf(route.operation);
    for (const [name, value] of Object.entries(query)) {
      const p = declared.find((d) => d.in === 'query' && d.name === name);
      if (!p) this.violations.push(`${route.operation.operationId}: query parameter ${name} is not in the OpenAPI description`);
      else if (p.schema?.type === 'integer' && !/^\d+$/.test(value)) this.violations.push(`${route.operation.operationId}: ${name}=${value} is not an integer`);
      else if (p.schema?.enum && !p.schema.enum.includes(value)) this.violations.push(`${route.operation.operationId}: ${name}=${value} is not one of ${p.schema.enum.join(', ')}`);
    }
    if (route.body && !route.body(body)) {
      const problem = `${route.operation.operationId}: the body does not match the OpenAPI description: ${ajv.errorsText(route.body.errors)}`;
      this.violations.push(problem);
      return error(422, 'Invalid request.', { errors: [problem] });
    }
    if (params.owner !== this.owner || params.repo !== this.repo) return error(404, 'Not Found');
    const write = req.method !== 'GET';
    if (write && access === 'read') return error(403, 'Resource not accessible by integration');
    const contentCreating = req.method === 'POST' && /\/(comments|reviews)$/.test(url.pathname);
    if (contentCreating && this.secondaryRateLimits > 0) {
      this.secondaryRateLimits--;
      return error(403, 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.', {}, { 'retry-after': '1' });
    }
    const ok = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      // A raw file (contents with the raw media type) is not the JSON the description's schema is for.
      send(status, payload, headers, PARTIAL_RESPONSES.has(route.operation.operationId) || typeof payload === 'string' ? undefined : route.responses.get(String(status)));
    return this.#rest(route.operation.operationId, params, query, body as Record<string, unknown>, req, ok, error);
  }

  #user(kind: 'bot' | 'person') {
    const login = kind === 'bot' ? 'github-actions[bot]' : 'octocat';
    const id = kind === 'bot' ? 41898282 : 583231;
    const base = `${this.url}/users/${encodeURIComponent(login)}`;
    return {
      login,
      id,
      node_id: kind === 'bot' ? 'MDM6Qm90NDE4OTgyODI=' : 'MDQ6VXNlcjU4MzIzMQ==',
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: base,
      html_url: `https://github.com/${login}`,
      followers_url: `${base}/followers`,
      following_url: `${base}/following{/other_user}`,
      gists_url: `${base}/gists{/gist_id}`,
      starred_url: `${base}/starred{/owner}{/repo}`,
      subscriptions_url: `${base}/subscriptions`,
      organizations_url: `${base}/orgs`,
      repos_url: `${base}/repos`,
      events_url: `${base}/events{/privacy}`,
      received_events_url: `${base}/received_events`,
      type: kind === 'bot' ? 'Bot' : 'User',
      site_admin: false,
    };
  }

  #repoUrl(): string {
    return `${this.url}/repos/${this.owner}/${this.repo}`;
  }

  #reviewComment(c: ReviewComment) {
    const url = `${this.#repoUrl()}/pulls/comments/${c.id}`;
    return {
      url,
      id: c.id,
      node_id: c.node_id,
      pull_request_review_id: c.pull_request_review_id,
      diff_hunk: '@@ -1 +1 @@',
      path: c.path,
      commit_id: c.commit_id,
      original_commit_id: c.commit_id,
      user: this.#user(c.user),
      body: c.body,
      created_at: c.created_at,
      updated_at: c.updated_at,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/1#discussion_r${c.id}`,
      pull_request_url: `${this.#repoUrl()}/pulls/1`,
      author_association: 'NONE',
      _links: { self: { href: url }, html: { href: `https://github.com/${this.owner}/${this.repo}/pull/1#discussion_r${c.id}` }, pull_request: { href: `${this.#repoUrl()}/pulls/1` } },
      line: c.line ?? undefined,
      side: c.side,
      subject_type: c.subject_type,
    };
  }

  #issueComment(c: IssueComment) {
    const url = `${this.#repoUrl()}/issues/comments/${c.id}`;
    return {
      id: c.id,
      node_id: c.node_id,
      url,
      body: c.body,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/1#issuecomment-${c.id}`,
      issue_url: `${this.#repoUrl()}/issues/1`,
      user: this.#user(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
    };
  }

  #checkRun(c: CheckRun) {
    const now = new Date().toISOString();
    return {
      id: c.id,
      node_id: c.node_id,
      head_sha: c.head_sha,
      name: c.name,
      url: `${this.#repoUrl()}/check-runs/${c.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/runs/${c.id}`,
      details_url: `https://github.com/${this.owner}/${this.repo}/runs/${c.id}`,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.started_at,
      completed_at: c.completed_at,
      external_id: '',
      check_suite: { id: 1 },
      output: { ...c.output, annotations_count: c.annotations.length, annotations_url: `${this.#repoUrl()}/check-runs/${c.id}/annotations` },
      app: {
        id: 15368,
        slug: 'github-actions',
        node_id: 'MDM6QXBwMTUzNjg=',
        client_id: 'Iv1.05c79e9ad1f6bdfa',
        owner: this.#user('person'),
        name: 'GitHub Actions',
        description: 'Automate your workflow from idea to production',
        external_url: 'https://help.github.com/en/actions',
        html_url: 'https://github.com/apps/github-actions',
        created_at: '2018-07-30T09:30:17Z',
        updated_at: now,
        permissions: { checks: 'write', pull_requests: 'write' },
        events: ['pull_request'],
      },
      pull_requests: [],
    };
  }

  /** One page of a list, with GitHub's Link header. */
  #page<T>(items: T[], query: Record<string, string>, limit = Infinity): { data: T[]; headers: Record<string, string> } {
    const perPage = Math.min(Number(query.per_page ?? 30), 100);
    const page = Number(query.page ?? 1);
    const all = items.slice(0, limit);
    const data = all.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number, rel: string) => `<${this.url}${this.#currentPath}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
    return { data, headers: links.length ? { link: links.join(', ') } : {} };
  }

  #currentPath = '';

  #rest(
    operation: string,
    params: Record<string, string>,
    query: Record<string, string>,
    body: Record<string, unknown>,
    req: IncomingMessage,
    ok: (status: number, payload: unknown, headers?: Record<string, string>) => void,
    error: (status: number, message: string, extra?: Record<string, unknown>) => void,
  ): void {
    this.#currentPath = new URL(req.url ?? '/', this.url).pathname;
    const now = new Date().toISOString();
    const tooLong = () => error(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' }] });
    // GitHub lets the token edit its own comments only (the Action must never edit a person's).
    const editable = <T extends { id: number; user: 'bot' | 'person' }>(list: T[]): T | string => {
      const c = list.find((x) => x.id === Number(params.comment_id));
      return !c ? 'Not Found' : c.user !== 'bot' ? 'Resource not accessible by integration' : c;
    };
    const pull = params.pull_number ? this.pulls.get(Number(params.pull_number)) : undefined;
    if (params.pull_number && !pull) return error(404, 'Not Found');
    switch (operation) {
      case 'pulls/get':
        // Only the fields the Action reads; the full pull-request schema is not reproduced.
        return ok(200, { number: pull!.number, head: { sha: pull!.headSha, repo: { full_name: pull!.headRepo } }, base: { sha: pull!.baseSha } }, {});
      case 'pulls/list-files': {
        const { data, headers } = this.#page(pull!.files, query, 3000);
        return ok(
          200,
          data.map((f) => ({
            sha: '0'.repeat(40),
            filename: f.filename,
            status: f.status,
            additions: f.additions ?? 0,
            deletions: f.deletions ?? 0,
            changes: (f.additions ?? 0) + (f.deletions ?? 0),
            blob_url: `https://github.com/${this.owner}/${this.repo}/blob/${pull!.headSha}/${f.filename}`,
            raw_url: `https://github.com/${this.owner}/${this.repo}/raw/${pull!.headSha}/${f.filename}`,
            contents_url: `${this.#repoUrl()}/contents/${f.filename}?ref=${pull!.headSha}`,
            ...(f.patch !== undefined ? { patch: f.patch } : {}),
            ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
          })),
          headers,
        );
      }
      case 'pulls/list-review-comments': {
        const { data, headers } = this.#page(this.reviewComments, query);
        return ok(200, data.map((c) => this.#reviewComment(c)), headers);
      }
      case 'pulls/create-review': {
        const comments = (body.comments as { path: string; line?: number; side?: string; start_line?: number; body: string }[] | undefined) ?? [];
        for (const c of comments) {
          const file = pull!.files.find((f) => f.filename === c.path);
          const lines = file?.patch ? rightLines(file.patch) : new Set<number>();
          if (c.line === undefined || !lines.has(c.line) || (c.side ?? 'RIGHT') !== 'RIGHT') {
            return error(422, 'Unprocessable Entity', { errors: ['Pull request review thread line must be part of the diff'] });
          }
          if (c.start_line !== undefined && c.start_line >= c.line) return error(422, 'Unprocessable Entity', { errors: ['Pull request review thread start line must precede the end line'] });
        }
        if ((body.event === 'COMMENT' || body.event === 'REQUEST_CHANGES') && !body.body) return error(422, 'Unprocessable Entity', { errors: ['Body is required'] });
        const review = { id: this.#id(), event: String(body.event), body: String(body.body ?? ''), commit_id: String(body.commit_id ?? pull!.headSha) };
        this.reviews.push(review);
        for (const c of comments) {
          const id = this.#id();
          this.reviewComments.push({ id, node_id: `PRRC_${id}`, pull_request_review_id: review.id, path: c.path, line: c.line!, side: 'RIGHT', subject_type: 'line', body: c.body, commit_id: review.commit_id, user: 'bot', minimized: false, created_at: now, updated_at: now });
        }
        const url = `https://github.com/${this.owner}/${this.repo}/pull/${pull!.number}#pullrequestreview-${review.id}`;
        return ok(200, {
          id: review.id,
          node_id: `PRR_${review.id}`,
          user: this.#user('bot'),
          body: review.body,
          state: review.event === 'COMMENT' ? 'COMMENTED' : review.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'APPROVED',
          commit_id: review.commit_id,
          html_url: url,
          pull_request_url: `${this.#repoUrl()}/pulls/${pull!.number}`,
          _links: { html: { href: url }, pull_request: { href: `${this.#repoUrl()}/pulls/${pull!.number}` } },
          author_association: 'NONE',
        });
      }
      case 'pulls/create-review-comment': {
        const file = pull!.files.find((f) => f.filename === body.path);
        if (!file) return error(422, 'Unprocessable Entity', { errors: ['Path could not be resolved'] });
        if (body.subject_type !== 'file' && !(file.patch && rightLines(file.patch).has(Number(body.line)))) {
          return error(422, 'Unprocessable Entity', { errors: ['Pull request review thread line must be part of the diff'] });
        }
        const id = this.#id();
        const c: ReviewComment = { id, node_id: `PRRC_${id}`, pull_request_review_id: null, path: String(body.path), line: body.subject_type === 'file' ? null : Number(body.line), side: 'RIGHT', subject_type: body.subject_type === 'file' ? 'file' : 'line', body: String(body.body), commit_id: String(body.commit_id), user: 'bot', minimized: false, created_at: now, updated_at: now };
        this.reviewComments.push(c);
        return ok(201, this.#reviewComment(c));
      }
      case 'pulls/update-review-comment': {
        const c = editable(this.reviewComments);
        if (typeof c === 'string') return error(c === 'Not Found' ? 404 : 403, c);
        c.body = String(body.body);
        c.updated_at = now;
        return ok(200, this.#reviewComment(c));
      }
      case 'issues/list-comments': {
        const { data, headers } = this.#page(this.issueComments, query);
        return ok(200, data.map((c) => this.#issueComment(c)), headers);
      }
      case 'issues/create-comment': {
        const text = String(body.body);
        if (text.length > 65536) return tooLong();
        const id = this.#id();
        const c: IssueComment = { id, node_id: `IC_${id}`, body: text, user: 'bot', created_at: now, updated_at: now };
        this.issueComments.push(c);
        return ok(201, this.#issueComment(c));
      }
      case 'issues/update-comment': {
        const c = editable(this.issueComments);
        if (typeof c === 'string') return error(c === 'Not Found' ? 404 : 403, c);
        const text = String(body.body);
        if (text.length > 65536) return tooLong();
        c.body = text;
        c.updated_at = now;
        return ok(200, this.#issueComment(c));
      }
      case 'checks/list-for-ref': {
        let runs = this.checkRuns.filter((c) => c.head_sha === params.ref && (!query.check_name || c.name === query.check_name));
        if (query.filter !== 'all') runs = runs.filter((c) => runs.every((o) => o.name !== c.name || o.id <= c.id));
        runs = [...runs].sort((a, b) => b.id - a.id);
        const { data, headers } = this.#page(runs, query);
        return ok(200, { total_count: runs.length, check_runs: data.map((c) => this.#checkRun(c)) }, headers);
      }
      case 'checks/create': {
        const output = body.output as { title: string; summary: string; text?: string; annotations?: unknown[] } | undefined;
        const annotations = output?.annotations ?? [];
        if (annotations.length > 50) return error(422, 'Unprocessable Entity', { errors: [`No more than 50 items are allowed; ${annotations.length} were supplied.`] });
        if ((output?.summary?.length ?? 0) > 65535) return error(422, 'Unprocessable Entity', { errors: [`Only 65535 characters are allowed; ${output!.summary.length} were supplied.`] });
        const id = this.#id();
        const run: CheckRun = {
          id,
          node_id: `CR_${id}`,
          name: String(body.name),
          head_sha: String(body.head_sha),
          status: String(body.status ?? 'queued'),
          conclusion: (body.conclusion as string | undefined) ?? null,
          started_at: now,
          completed_at: null,
          output: { title: output?.title ?? null, summary: output?.summary ?? null, text: output?.text ?? null },
          annotations: [...annotations],
        };
        this.checkRuns.push(run);
        return ok(201, this.#checkRun(run));
      }
      case 'checks/update': {
        const run = this.checkRuns.find((c) => c.id === Number(params.check_run_id));
        if (!run) return error(404, 'Not Found');
        const output = body.output as { title: string; summary: string; text?: string; annotations?: unknown[] } | undefined;
        const annotations = output?.annotations ?? [];
        if (annotations.length > 50) return error(422, 'Unprocessable Entity', { errors: [`No more than 50 items are allowed; ${annotations.length} were supplied.`] });
        if (output) run.output = { title: output.title, summary: output.summary, text: output.text ?? null };
        run.annotations.push(...annotations);
        if (body.status) run.status = String(body.status);
        if (body.conclusion) {
          run.conclusion = String(body.conclusion);
          run.status = 'completed';
          run.completed_at = String(body.completed_at ?? now);
        }
        return ok(200, this.#checkRun(run));
      }
      case 'repos/get-content': {
        const text = this.contents.get(query.ref ?? '')?.get(params.path!);
        if (text === undefined) return error(404, 'Not Found');
        if (!/raw/.test(req.headers.accept ?? '')) return error(415, 'The Action asks for raw content; this server serves nothing else.');
        return ok(200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
      }
      default:
        this.violations.push(`${operation} is described but not implemented by the test server`);
        return error(501, 'Not Implemented');
    }
  }

  #graphql(
    body: { query?: string; variables?: Record<string, unknown> },
    access: 'write' | 'read',
    send: (status: number, payload: unknown) => void,
    error: (status: number, message: string) => void,
  ): void {
    const query = body?.query ?? '';
    const nodes = /^query\(\$ids: \[ID!\]!\) \{ nodes\(ids: \$ids\) \{ \.\.\. on PullRequestReviewComment \{ id isMinimized \} \} \}$/;
    if (nodes.test(query.trim())) {
      const ids = (body.variables?.ids as string[] | undefined) ?? [];
      if (ids.length > 100) return send(200, { errors: [{ message: 'You may not request more than 100 nodes at once.' }] });
      return send(200, { data: { nodes: ids.map((id) => { const c = this.reviewComments.find((x) => x.node_id === id); return c ? { id, isMinimized: c.minimized } : null; }) } });
    }
    const mutation = /^mutation \{ (.*) \}$/s.exec(query.trim());
    if (mutation) {
      if (access === 'read') return send(200, { errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] });
      const data: Record<string, unknown> = {};
      const item = /(m\d+): (minimizeComment|unminimizeComment)\(input: \{subjectId: "([^"]+)"(?:, classifier: (OUTDATED|RESOLVED|DUPLICATE|OFF_TOPIC))?\}\) \{ (minimizedComment|unminimizedComment) \{ isMinimized \} \}/g;
      const rest = mutation[1]!.replace(item, '').trim();
      if (rest) {
        this.violations.push(`GraphQL mutation with unknown fields: ${rest}`);
        return error(400, 'Problems parsing GraphQL');
      }
      for (const m of mutation[1]!.matchAll(item)) {
        const c = this.reviewComments.find((x) => x.node_id === m[3]);
        if (!c) return send(200, { errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${m[3]}'` }] });
        if (m[2] === 'minimizeComment' && !m[4]) return send(200, { errors: [{ message: 'Argument classifier is required' }] });
        c.minimized = m[2] === 'minimizeComment';
        data[m[1]!] = { [m[5]!]: { isMinimized: c.minimized } };
      }
      return send(200, { data });
    }
    this.violations.push(`GraphQL document the Action should not send: ${query.slice(0, 200)}`);
    return error(400, 'Problems parsing GraphQL');
  }
}

/** Head-side lines of a patch's hunks (added and context): where GitHub accepts a line comment. */
export function rightLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let line = 0;
  for (const l of patch.split('\n')) {
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
    if (h) {
      line = Number(h[1]);
      continue;
    }
    if (l.startsWith('-') || l.startsWith('\\')) continue;
    if (l.startsWith('+') || l.startsWith(' ')) lines.add(line++);
  }
  return lines;
}
