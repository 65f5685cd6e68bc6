/**
 * Epsilon schedules: how exploration fades as the agent learns. Both start at `start`, reach `end` at
 * `decaySteps` environment steps and stay there.
 *
 * - linear:      eps(t) = start + (end - start) * t / decaySteps
 * - exponential: eps(t) = start * (end / start) ^ (t / decaySteps), i.e. the same factor every step;
 *                it explores less early and longer late than linear (needs end > 0).
 */
export const ScheduleKind = { linear: 'linear', exponential: 'exponential' } as const;
export type ScheduleKind = (typeof ScheduleKind)[keyof typeof ScheduleKind];

export interface EpsilonSchedule {
  kind: ScheduleKind;
  start: number;
  end: number;
  decaySteps: number;
}

/** Epsilon after `step` environment steps. */
export function epsilonAt(schedule: EpsilonSchedule, step: number): number {
  const { kind, start, end, decaySteps } = schedule;
  if (step >= decaySteps || decaySteps <= 0) return end;
  const fraction = step / decaySteps;
  if (kind === 'linear') return start + (end - start) * fraction;
  if (start <= 0) return end;
  return start * Math.pow(end / start, fraction);
}

/** Why a schedule is unusable, or undefined when it is fine (the plugins turn this into an option error). */
export function scheduleProblem(schedule: EpsilonSchedule): { option: string; message: string } | undefined {
  if (schedule.kind === 'exponential' && schedule.end <= 0) {
    return { option: 'epsilonEnd', message: 'epsilonEnd must be > 0 with the exponential schedule (it multiplies down towards it)' };
  }
  if (schedule.end > schedule.start) {
    return { option: 'epsilonEnd', message: `epsilonEnd (${schedule.end}) must not exceed epsilonStart (${schedule.start})` };
  }
  return undefined;
}
