/** Generation jobs and exports as the host reports them. */
import { createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { ExportInfo, JobInfo } from '../../../engine/api/contract.js';

export const jobsAdapter = createEntityAdapter<JobInfo>({
  sortComparer: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id, undefined, { numeric: true }),
});

const jobsSlice = createSlice({
  name: 'jobs',
  initialState: { jobs: jobsAdapter.getInitialState(), export: null as ExportInfo | null },
  reducers: {
    jobUpdated(state, { payload }: PayloadAction<JobInfo>) {
      jobsAdapter.upsertOne(state.jobs, payload);
    },
    jobsLoaded(state, { payload }: PayloadAction<JobInfo[]>) {
      jobsAdapter.setAll(state.jobs, payload);
    },
    exportUpdated(state, { payload }: PayloadAction<ExportInfo | null>) {
      state.export = payload;
    },
  },
});

export const { jobUpdated, jobsLoaded, exportUpdated } = jobsSlice.actions;
export default jobsSlice.reducer;
