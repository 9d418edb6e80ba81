// `customs validate [FILE]`: print every problem of a tracker file as `FILE:LINE:COL severity:
// message`, then a one-line summary. Exit status 0 when there is no error, 2 otherwise.

import type { TrackerAdapter } from '../core/types.ts';
import { formatProblem, loadTrackerFile } from '../config/load.ts';
import { countProblems, describeCounts } from '../config/validate.ts';

/** Validate `file`, writing lines through `out`; returns the exit code (the caller exits). */
export async function validateCommand(file: string, out: (line: string) => void, adapters?: readonly TrackerAdapter[]): Promise<number> {
  const loaded = await loadTrackerFile(file, adapters);
  for (const problem of loaded.problems) out(formatProblem(problem));
  const { errors, warnings } = countProblems(loaded.problems);
  const trackers = loaded.entries.length;
  const summary = errors === 0 ? `OK, ${describeCounts(trackers, 0, warnings)}` : describeCounts(trackers, errors, warnings);
  out(`${file}: ${summary}`);
  return errors === 0 ? 0 : 2;
}
