/**
 * How the server gets a process for `process/start`: a launcher turns start params into a
 * running process on the Proc port. The simulated one follows a script chosen by the caller
 * (the target's process source); a real one would spawn `argv`.
 */
import type { ProcessHandle, ProcessScript, Proc } from '../../../sim/ports/index.ts';
import type { SandboxType, StartParams } from '../protocol/wire.ts';

export interface LaunchedProcess {
  handle: ProcessHandle;
  /** How the process is confined; the denial classifier runs only when not `none`. */
  sandboxType: SandboxType;
}

export interface ProcessLauncher {
  /** Throws when the process cannot be spawned (reported as -32603). */
  launch(params: StartParams): LaunchedProcess;
}

export interface ScriptedProcess {
  script: ProcessScript;
  sandboxType: SandboxType;
  /** Process name (comm), also the target of `kill` faults. */
  name: string;
}

export function scriptedLauncher(proc: Proc, scriptFor: (params: StartParams) => ScriptedProcess | undefined): ProcessLauncher {
  return {
    launch(params) {
      const s = scriptFor(params);
      if (!s) throw new Error(`No such file or directory (os error 2): ${params.argv[0] ?? ''}`);
      return { handle: proc.run(s.script, { name: s.name, cmdline: params.argv.join(' ') }), sandboxType: s.sandboxType };
    },
  };
}
