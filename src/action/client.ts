import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Times a request limited by GitHub is tried again before its content goes to the summary instead. */
const LIMIT_RETRIES = 2;

/**
 * An Octokit for the run: GITHUB_API_URL (GitHub Enterprise, the tests' local server) from the
 * environment, 5xx and network errors retried, and GitHub's rate limits respected. The throttling
 * plugin serialises writes and spaces content-creating ones (reviews, comments) as GitHub asks, and
 * waits `retry-after` when a limit is hit. The token is never logged.
 */
export function createClient(token: string): GitHubClient {
  return getOctokit(
    token,
    {
      throttle: {
        onRateLimit: (retryAfter, options, _octokit, retryCount) => {
          core.warning(`GitHub rate limit on ${options.method} ${options.url}; ${retryCount < LIMIT_RETRIES ? `retrying in ${retryAfter} s` : 'giving up'}`);
          return retryCount < LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
          core.warning(`GitHub secondary rate limit on ${options.method} ${options.url}; ${retryCount < LIMIT_RETRIES ? `retrying in ${retryAfter} s` : 'giving up'}`);
          return retryCount < LIMIT_RETRIES;
        },
      },
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
    },
    retry,
    throttling,
  );
}

/** HTTP status of an Octokit error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}
