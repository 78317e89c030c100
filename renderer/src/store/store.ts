import { configureStore } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import doc from './doc-slice.js';
import jobs from './jobs-slice.js';
import ui from './ui-slice.js';

export function createStore() {
  return configureStore({
    reducer: { doc, jobs, ui },
    // The document can be large (1,000 shots): skip the dev-only deep checks.
    middleware: (getDefault) => getDefault({ serializableCheck: false, immutableCheck: false }),
  });
}

export type AppStore = ReturnType<typeof createStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
export const useAppSelector = useSelector.withTypes<RootState>();
