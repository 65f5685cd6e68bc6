/**
 * The /play page's demonstration controls: a record toggle, the count of what is kept, a download of the JSON lines
 * file and a clear button (elements `demo-record`, `demo-download`, `demo-clear`, `demo-count` of play.html). The
 * recording itself is demo-recorder.ts; the page reports its session, resets and steps here.
 */
import { DemoRecorder } from './demo-recorder';

export interface DemoHooks {
  session(env: string, options: Record<string, unknown>): void;
  reset(observation: unknown): void;
  record(action: number, result: { observation: unknown; reward: unknown; terminated: unknown; truncated: unknown }): void;
}

/** Binds the controls to a new recorder; without them in the page (an older play.html) the hooks do nothing. */
export function startDemoControls(doc: Document = document, recorder = new DemoRecorder()): DemoHooks {
  const toggle = doc.getElementById('demo-record') as HTMLButtonElement | null;
  const download = doc.getElementById('demo-download') as HTMLButtonElement | null;
  const clear = doc.getElementById('demo-clear') as HTMLButtonElement | null;
  const count = doc.getElementById('demo-count');
  const show = (): void => {
    if (!toggle || !download || !clear || !count) return;
    toggle.textContent = recorder.recording ? '■ Stop recording' : '● Record';
    toggle.setAttribute('aria-pressed', String(recorder.recording));
    toggle.classList.toggle('recording', recorder.recording);
    download.disabled = recorder.count === 0;
    clear.disabled = recorder.count === 0;
    const kept = `${recorder.count} transition${recorder.count === 1 ? '' : 's'} in ${recorder.episodes} episode${recorder.episodes === 1 ? '' : 's'}`;
    count.textContent = recorder.full ? `${kept}: the limit, recording stopped` : recorder.recording ? `Recording: ${kept}` : recorder.count ? `Kept: ${kept}` : 'Not recording.';
    count.dataset.transitions = String(recorder.count);
  };
  toggle?.addEventListener('click', () => {
    recorder.setRecording(!recorder.recording);
    toggle.blur(); // the arrow keys go on moving the agent
    show();
  });
  download?.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([recorder.toJsonLines()], { type: 'application/x-ndjson' }));
    const a = doc.createElement('a');
    a.href = url;
    a.download = recorder.fileName();
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    download.blur();
  });
  clear?.addEventListener('click', () => {
    recorder.clear();
    clear.blur();
    show();
  });
  show();
  return {
    session: (env, options) => recorder.session(env, options),
    reset: (observation) => recorder.reset(observation),
    record: (action, result) => {
      recorder.record(action, result);
      show();
    },
  };
}
