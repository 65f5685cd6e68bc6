/** The connection status shown in the header: a pure function of what the connection is doing. */

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live'; server: string }
  | { kind: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { kind: 'unauthorized' };

/** A label and a tone (for the status pill's colour). */
export function describeStatus(state: ConnectionState): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  switch (state.kind) {
    case 'connecting':
      return { text: 'Connecting…', tone: 'warn' };
    case 'live':
      return { text: `Live · ${state.server}`, tone: 'ok' };
    case 'reconnecting':
      return { text: `Server unreachable (${state.reason}) · retrying in ${Math.max(1, Math.ceil(state.inMs / 1000))} s (attempt ${state.attempt})`, tone: 'bad' };
    case 'unauthorized':
      return { text: 'Token required', tone: 'bad' };
  }
}

/** Shows the state in a status pill element (its text, and its tone as `data-tone` for the CSS). */
export function showStatus(pill: HTMLElement, state: ConnectionState): void {
  const { text, tone } = describeStatus(state);
  pill.textContent = text;
  pill.dataset.tone = tone;
}
