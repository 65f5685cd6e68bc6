/** The token prompt (a <dialog> in the page), and where the token is remembered for the tab. */

const KEY = 'rlfs-token';

/** The token from `?token=` or from earlier in this tab. */
export function initialToken(): string | undefined {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) return fromUrl;
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** The WebSocket URL of the server that served the page (or `?ws=`). */
export function serverUrl(): string {
  const fromUrl = new URLSearchParams(location.search).get('ws');
  if (fromUrl) return fromUrl;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** Shows the dialog and resolves with the token typed, or undefined when cancelled. */
export function askToken(wrong: boolean): Promise<string | undefined> {
  const dialog = document.getElementById('token-dialog') as HTMLDialogElement | null;
  if (!dialog) return Promise.resolve(window.prompt(wrong ? 'Wrong token, try again:' : 'This server needs a token:') ?? undefined);
  const input = dialog.querySelector('input') as HTMLInputElement;
  const hint = dialog.querySelector('.hint') as HTMLElement | null;
  if (hint) hint.textContent = wrong ? 'That token was refused. Try again.' : 'The server was started with --token. Enter it to continue.';
  input.value = '';
  return new Promise((resolve) => {
    const form = dialog.querySelector('form') as HTMLFormElement;
    const done = (value: string | undefined): void => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      if (value) sessionStorage.setItem(KEY, value);
      resolve(value);
    };
    const onSubmit = (e: Event): void => {
      e.preventDefault();
      done(input.value.trim() || undefined);
    };
    const onCancel = (): void => done(undefined);
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    input.focus();
  });
}
