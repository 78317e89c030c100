/** The cameo library as the host last reported it (cameo.list, the cameo.changed event): not part of the document. */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { CameoLibraryView } from '../../../engine/api/contract.js';

const cameoSlice = createSlice({
  name: 'cameos',
  initialState: { view: null as CameoLibraryView | null },
  reducers: {
    cameosLoaded(state, { payload }: PayloadAction<CameoLibraryView>) {
      state.view = payload;
    },
  },
});

export const { cameosLoaded } = cameoSlice.actions;
export default cameoSlice.reducer;
