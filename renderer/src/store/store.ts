import { configureStore } from '@reduxjs/toolkit';
import { setAutoFreeze } from 'immer';
import { useDispatch, useSelector } from 'react-redux';
import doc from './doc-slice.js';
import cameos from './cameo-slice.js';
import jobs from './jobs-slice.js';
import ui from './ui-slice.js';

/**
 * No deep freeze of what reducers store: opening a 1,000-shot project would
 * walk and freeze the whole document and its entities (about 50 ms). Reducers
 * are the only writers; views treat state as read-only.
 */
setAutoFreeze(false);

export function createStore() {
  return configureStore({
    reducer: { doc, jobs, ui, cameos },
    // The document can be large (1,000 shots): skip the dev-only deep checks.
    middleware: (getDefault) => getDefault({ serializableCheck: false, immutableCheck: false }),
  });
}

export type AppStore = ReturnType<typeof createStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
export const useAppSelector = useSelector.withTypes<RootState>();
