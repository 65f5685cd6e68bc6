/**
 * What both pages share around their state: the element lookup, and a connection kept alive with its status
 * shown in the header pill and its token asked in the page's dialog.
 */
import type { Client, Role, WebSocketFactory } from '@rlfs/protocol';
import { KeepAlive } from './connection';
import { showStatus } from './status';
import { askToken, initialToken, serverUrl } from './token';

/** The element with id `id`; a page that lacks one is a bug in the page, named here. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

/**
 * Connects to the server that served the page (or `?ws=`) and keeps the connection, showing its state in `pill`.
 * `url` and `createSocket` replace the server (the viewer's `?servers=` fleet socket).
 */
export function connectPage(options: {
  role: Role;
  name: string;
  pill: HTMLElement;
  onConnected(client: Client): void | Promise<void>;
  url?: string;
  createSocket?: WebSocketFactory;
}): KeepAlive {
  const keep = new KeepAlive({
    url: options.url ?? serverUrl(), role: options.role, name: options.name, token: initialToken(),
    ...(options.createSocket ? { createSocket: options.createSocket } : {}),
    onState: (state) => showStatus(options.pill, state),
    askToken,
    onConnected: options.onConnected,
  });
  keep.start();
  return keep;
}
