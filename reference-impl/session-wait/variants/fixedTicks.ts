/**
 * `fixed-ticks`: `fixed`, and `find_session_pid`'s daemon.pid test also requires daemon.pid's
 * start ticks to match `/proc/<pid>/stat` (issue 12). Upstream's test 1 asks the cmdline alone,
 * so a `csa session wait --session S` that got the dead daemon's pid (its cmdline names the
 * session) counts as the daemon until its cap (WAIT_TAKES_ITSELF_GAP). The start ticks, not
 * "skip our own pid", because they are upstream's own answer to pid reuse (daemon_pid_for_signal,
 * spec §2; HEAD adds them to the wait lock too, §8-9 #2636), and they also stop any other process
 * whose cmdline names the session (a second wait, `csa session result`) from passing for it. A
 * legacy record without ticks is judged as upstream does.
 */
import { defineVariant } from '../../../sim/ports/index.ts';
import { fixed } from './fixed.ts';

export const fixedTicks = defineVariant(
  'fixed-ticks',
  fixed,
  { sessionPidChecksStartTime: true },
  {
    summary: "fixed, and find_session_pid checks daemon.pid's start ticks too, so a wait that got the dead daemon's pid is not the daemon",
    source:
      'candidate fix for the upstream gap of issue 12 (spec §2: find_session_pid test 1 ignores the ticks daemon_pid_for_signal checks)',
    expected: 'pass',
  },
);
