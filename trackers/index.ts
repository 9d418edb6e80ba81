// The registry: every tracker type customs knows, and lookup by `bugimporter` value or alias.

import type { TrackerAdapter, TrackerEntry } from '../src/core/types.ts';
import { bugzillaAdapter } from './bugzilla.ts';
import { giteaAdapter } from './gitea.ts';
import { githubAdapter } from './github.ts';
import { gitlabAdapter } from './gitlab.ts';
import { jiraAdapter } from './jira.ts';
import { launchpadAdapter } from './launchpad.ts';
import { pagureAdapter } from './pagure.ts';
import { redmineAdapter } from './redmine.ts';
import { roundupAdapter } from './roundup.ts';
import { tracAdapter } from './trac.ts';

/** Every type, in the order docs and the editor list them. */
export const ADAPTERS: readonly TrackerAdapter<TrackerEntry>[] = [githubAdapter, bugzillaAdapter, tracAdapter, roundupAdapter, gitlabAdapter, jiraAdapter, launchpadAdapter, redmineAdapter, giteaAdapter, pagureAdapter] as unknown as readonly TrackerAdapter<TrackerEntry>[];

/** The adapter for a `bugimporter` value (`github`, `github.GitHubBugImporter`…), if known. */
export function findAdapter(bugimporter: string): TrackerAdapter<TrackerEntry> | undefined {
  const wanted = bugimporter.trim();
  return ADAPTERS.find((a) => a.type === wanted || a.aliases.includes(wanted));
}

/** Every accepted `bugimporter` value, for messages and the editor. */
export function knownTypeNames(): string[] {
  return ADAPTERS.flatMap((a) => [a.type, ...a.aliases]);
}
