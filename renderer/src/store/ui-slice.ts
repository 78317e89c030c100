/** What the user is looking at: screen, selection, open dialogs, messages. */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type Screen = 'home' | 'storyboard' | 'blocking' | 'edit' | 'cameos';
export type Dialog = 'export' | 'settings' | 'palette' | 'interchange' | 'shortcuts' | 'safety' | 'help' | null;

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  hint?: string;
}

const uiSlice = createSlice({
  name: 'ui',
  initialState: {
    screen: 'home' as Screen,
    selectedSceneId: null as string | null,
    selectedShotId: null as string | null,
    selectedClipId: null as string | null,
    dialog: null as Dialog,
    /** The help topic the help dialog shows (engine/common/help-topics.ts). */
    helpTopicId: null as string | null,
    queueOpen: true,
    /** The Edit screen's panel below the timeline (renderer/src/panels.ts), or none. */
    editPanel: null as string | null,
    /** The guided first film runs (started on the Home screen): its bar shows the three steps. */
    guide: false,
    /** Offered on open when a recovery copy is newer than the saved file. */
    recovery: null as { savedAt: string } | null,
    toasts: [] as Toast[],
    connected: true,
  },
  reducers: {
    showScreen(state, { payload }: PayloadAction<Screen>) {
      state.screen = payload;
      // the Edit screen's panel closes with the screen (as when it was the screen's own state)
      if (payload !== 'edit') state.editPanel = null;
    },
    selectScene(state, { payload }: PayloadAction<string | null>) {
      state.selectedSceneId = payload;
    },
    selectShot(state, { payload }: PayloadAction<string | null>) {
      state.selectedShotId = payload;
    },
    selectClip(state, { payload }: PayloadAction<string | null>) {
      state.selectedClipId = payload;
    },
    openDialog(state, { payload }: PayloadAction<Dialog>) {
      state.dialog = payload;
    },
    openHelp(state, { payload }: PayloadAction<string>) {
      state.helpTopicId = payload;
      state.dialog = 'help';
    },
    showEditPanel(state, { payload }: PayloadAction<string | null>) {
      state.editPanel = payload;
    },
    setGuide(state, { payload }: PayloadAction<boolean>) {
      state.guide = payload;
    },
    toggleQueue(state) {
      state.queueOpen = !state.queueOpen;
    },
    setRecovery(state, { payload }: PayloadAction<{ savedAt: string } | null>) {
      state.recovery = payload;
    },
    pushToast(state, { payload }: PayloadAction<Omit<Toast, 'id'>>) {
      state.toasts.push({ ...payload, id: (state.toasts.at(-1)?.id ?? 0) + 1 });
      if (state.toasts.length > 4) state.toasts.shift();
    },
    dismissToast(state, { payload }: PayloadAction<number>) {
      state.toasts = state.toasts.filter((t) => t.id !== payload);
    },
    setConnected(state, { payload }: PayloadAction<boolean>) {
      state.connected = payload;
    },
  },
});

export const {
  showScreen,
  selectScene,
  selectShot,
  selectClip,
  openDialog,
  openHelp,
  showEditPanel,
  setGuide,
  toggleQueue,
  setRecovery,
  pushToast,
  dismissToast,
  setConnected,
} = uiSlice.actions;
export default uiSlice.reducer;
