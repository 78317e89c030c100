/** Generation jobs and exports as the host reports them. */
import { createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { ExportInfo, ExportRecord, JobInfo } from '../../../engine/api/contract.js';

export const jobsAdapter = createEntityAdapter<JobInfo>({
  sortComparer: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id, undefined, { numeric: true }),
});

const jobsSlice = createSlice({
  name: 'jobs',
  initialState: {
    jobs: jobsAdapter.getInitialState(),
    export: null as ExportInfo | null,
    /** The open project's last finished export (its export history), kept after the dialog closes and across restarts. */
    lastExport: null as ExportRecord | null,
  },
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
    lastExportLoaded(state, { payload }: PayloadAction<ExportRecord | null>) {
      state.lastExport = payload;
    },
  },
});

export const { jobUpdated, jobsLoaded, exportUpdated, lastExportLoaded } = jobsSlice.actions;
export default jobsSlice.reducer;
