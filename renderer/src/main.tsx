/** Renderer entry: picks the transport (Electron preload bridge, else the browser-mode WebSocket), starts the store and the UI. */
// first: before any module builds or runs a zod schema
import './zod-jitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { ApiClient } from './api/client.js';
import { ipcTransport, type KlappeHostBridge } from './api/ipc-transport.js';
import { wsTransport } from './api/ws-transport.js';
import { runAction } from './actions/registry.js';
import { App } from './App.js';
import './audio/register.js';
import './cast/register.js';
import './farm/register.js';
import { createStore } from './store/store.js';
import { EditorProvider } from './editor/context.js';
import { Editor } from './editor/editor.js';
import './styles.css';

const bridge = (window as unknown as { klappeHost?: KlappeHostBridge }).klappeHost;
const token = new URLSearchParams(location.search).get('token') ?? '';
const root = createRoot(document.getElementById('root')!);

if (!bridge && !token) {
  root.render(
    <main className="no-token">
      <h1>Klappe</h1>
      <p>
        Open the studio with the address <code>klappe serve</code> printed: it carries the access token.
      </p>
    </main>,
  );
} else {
  const api = new ApiClient(bridge ? ipcTransport(bridge) : wsTransport(token));
  const store = createStore();
  const editor = new Editor(api, store);
  bridge?.onMenuAction((name) => runAction(editor, name));
  root.render(
    <StrictMode>
      <Provider store={store}>
        <EditorProvider editor={editor}>
          <App />
        </EditorProvider>
      </Provider>
    </StrictMode>,
  );
  // `data-ready` once the open project (if any) is restored: end-to-end tests wait for it
  void editor.init().finally(() => {
    document.documentElement.dataset.ready = 'true';
  });
}
