/**
 * The scenario file's envelope, declared once: what every scenario has whatever its target. The
 * target's workload and fault kinds are checked next, against the target's own schemas; the
 * file editors use (scenarios/scenario.schema.json) joins all of them (./schemaFile.ts).
 */
import { AT } from '../faults/fault.ts';
import { HORIZON_MS, HORIZON_TEXT } from '../horizon.ts';
import { MAX_FAULTS, PID_MAX_LIMIT } from '../limits.ts';
import { anyObject, bool, either, int, list, literal, num, obj, oneOf, optional, str, withExpected, withLimit } from '../schema/fields.ts';
import { schemaProblems } from '../schema/problems.ts';

const NAME = '^[a-z0-9][a-z0-9-]*$';

/** Any fault: its kind's parameters are the target's to check. */
const FAULT = obj(
  {
    at: AT,
    kind: str('fault kind (see execsim list)', { minLength: 1 }),
    target: optional(str('what the fault hits: connections, a file path, a process')),
  },
  'one fault: {at, kind, target, ...its parameters}',
  { open: true, expected: 'a fault object {at, kind, target, ...}' },
);

const EXPECT = withExpected(
  either(
    [
      literal('pass', 'every property holds'),
      obj(
        {
          violates: list(str('a property name', { pattern: NAME }), 'the properties this run must violate', {
            minItems: 1,
            uniqueItems: true,
          }),
          allowOthers: optional(bool('opt-in "at least these": other violated properties do not fail the scenario (default false)')),
        },
        'a field bug reproduced',
      ),
    ],
    '"pass", or exactly the properties this run must violate (any other violated property fails the scenario; set allowOthers to accept extra violations).',
  ),
  '"pass" or {"violates": ["property-name", ...]}',
);

/**
 * World options a run was drawn with (the explorer's swarm of worlds, TigerBeetle's vopr): each
 * group over the target's own options, each field over the harness default. A file without it
 * runs in the target's default world.
 */
export const WORLD = obj(
  {
    net: optional(
      obj(
        {
          latencyMsMin: optional(int('least one-way latency of a message', 'virtual ms')),
          latencyMsMax: optional(int('largest one-way latency of a message (at least latencyMsMin)', 'virtual ms')),
        },
        'network latencies',
      ),
    ),
    fs: optional(
      obj(
        {
          mtimeGranularity: optional(oneOf(['ns', '1s', '2s'], 'how finely the file system records mtimes')),
          mtimeSkewMs: optional(
            withExpected(
              num("the writer's clock skew in mtimes (below 0: behind), at most the horizon either way", 'ms', {
                min: -HORIZON_MS,
                max: HORIZON_MS,
              }),
              `a number from -${HORIZON_MS} to ${HORIZON_MS} (ms)`,
            ),
          ),
        },
        'the default file writer',
      ),
    ),
    proc: optional(
      obj(
        {
          pidMin: optional(int('lowest pid handed out', 'pid', { min: 2, max: PID_MAX_LIMIT })),
          pidMax: optional(
            int(
              `highest pid handed out (at least pidMin, at most ${PID_MAX_LIMIT}: Linux's pid_max limit; a small space reuses pids sooner)`,
              'pid',
              {
                min: 2,
                max: PID_MAX_LIMIT,
              },
            ),
          ),
        },
        'the PID space',
      ),
    ),
  },
  'world options of this run (drawn per run by explore), over the target defaults',
);

export const ENVELOPE = obj(
  {
    $schema: optional(str('path to this schema, for editors')),
    format: literal(1, 'scenario file format version'),
    title: optional(str('what the scenario shows, encoding its setup', { minLength: 1 })),
    source: optional(str('the field report it reproduces (repo#issue), or how it was found', { minLength: 1 })),
    target: str('target name, e.g. exec-stream, session-wait, attach-pump', { pattern: NAME, expected: 'a target name' }),
    variant: str('variant of the target, e.g. v1-strict, pre-1445', { minLength: 1 }),
    seed: int('world seed', 'int32', { min: -2147483648, max: 2147483647 }),
    mode: oneOf(['safety', 'liveness'], 'safety: faults stay on; liveness: faults heal at healAtMs and the caller must finish'),
    healAtMs: optional(int('liveness mode: when every fault heals', 'virtual ms')),
    expect: EXPECT,
    world: optional(WORLD),
    workload: anyObject("the target's workload (see execsim list)", "the target's workload object"),
    faults: withLimit(list(FAULT, 'the fault schedule', { expected: 'a list of faults', maxItems: MAX_FAULTS }), "execsim's"),
    provenance: optional(anyObject('how the scenario was found (explorer seed, runs, shrinks), for people; not used to replay')),
  },
  `One replayable run of a protocol under test: target, variant, seed, workload, fault schedule and what must happen. Every virtual time and duration (fault times and windows, healAtMs, workload times) is at most the world's horizon, ${HORIZON_TEXT}; a time beyond it is refused.`,
);

/** Every problem of the envelope, one line each. */
export function envelopeProblems(value: unknown): string[] {
  return schemaProblems(ENVELOPE, value);
}
