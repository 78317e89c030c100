/**
 * The render farm in the studio, in Chromium against `klappe serve`: three
 * loopback ComfyUI servers added from the Farm panel (with slots) → shots
 * generate on them side by side, the queue says which server runs each, the
 * panel shows slots in use and current shots → one server killed mid-run is
 * shown down and its shot finishes on another, the reason on its take.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ComfyTestServer } from '../servers/comfyui-server.js';
import { makeTestClip } from '../servers/test-clip.js';
import { apiCall, docOf, hostInfo, newProject, screenshot } from './support.js';

test('a farm of three ComfyUI servers: add, dispatch, kill one, see it move', async ({ page }) => {
  const { url } = hostInfo();
  const clip = await makeTestClip(join(process.env.KLAPPE_E2E_HOME!, 'farm-clip.mp4'));
  const gpus = [
    ['gpu-a', 2, 'cuda:0 NVIDIA H100 80GB HBM3 : cudaMallocAsync', 80],
    ['gpu-b', 1, 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync', 24],
    ['gpu-c', 1, 'cuda:0 NVIDIA L40S : cudaMallocAsync', 48],
  ] as const;
  const servers = await Promise.all(
    gpus.map(([, , gpu, vramGb]) => new ComfyTestServer({ video: clip, delayMs: 4000, parallel: 1, gpu, vramGb }).start()),
  );
  try {
    await newProject(page, 'Farm E2E');
    await page.keyboard.press('Alt+3');
    await page.getByRole('toolbar', { name: 'Timeline tools' }).getByRole('button', { name: 'Farm' }).click();
    const panel = page.getByRole('region', { name: 'Farm' });
    await expect(panel.getByText(/No farm servers yet/)).toBeVisible();
    const form = panel.getByRole('form', { name: 'Add a farm server' });
    for (const [i, [label, slots]] of gpus.entries()) {
      await form.getByLabel('Server address').fill(servers[i]!.url);
      await form.getByLabel('Label').fill(label);
      await form.getByLabel('Slots').fill(String(slots));
      await form.getByRole('button', { name: 'Add server' }).click();
      await expect(panel.getByRole('row', { name: `Server ${label}: up` })).toBeVisible();
    }
    await expect(panel.getByText('3 of 3 servers up')).toBeVisible();
    await expect(panel.getByRole('row', { name: 'Server gpu-a: up' })).toContainText('NVIDIA H100 80GB HBM3');
    await expect(panel.getByRole('row', { name: 'Server gpu-a: up' })).toContainText('80 GiB / 80 GiB');
    await screenshot(page, 'farm-1-servers');

    const doc = await docOf(page, url);
    const shots = doc.scenes.flatMap((s: any) => s.shots.map((x: any) => x.id)) as string[];
    const { jobIds } = await apiCall(page, url, 'generate.enqueue', { backend: 'comfyui' });
    expect(jobIds).toHaveLength(shots.length);
    // four slots: four shots at once, spread over the three servers
    await expect(panel.getByText(/4 of 4 slots busy/)).toBeVisible();
    await expect(panel.getByRole('row', { name: 'Server gpu-a: up' }).getByLabel('2 of 2 slots in use')).toBeVisible();
    const queue = page.getByRole('complementary', { name: 'Generation queue' });
    await expect(queue.getByText('comfyui · gpu-a', { exact: true })).toHaveCount(2);
    await expect(queue.getByText('comfyui · gpu-c', { exact: true })).toHaveCount(1);
    await expect(panel.getByRole('row', { name: 'Server gpu-a: up' })).toContainText(/shot 1\/\d, shot \d\/\d/);
    await screenshot(page, 'farm-2-running');

    // gpu-c dies: down in the panel, its shot resubmitted to another server
    await servers[2]!.kill();
    await expect(panel.getByRole('row', { name: 'Server gpu-c: down' })).toBeVisible({ timeout: 30_000 });
    await screenshot(page, 'farm-3-server-down');
    await expect(queue.getByRole('listitem', { name: /: done/ })).toHaveCount(shots.length, { timeout: 90_000 });
    const after = await docOf(page, url);
    const moved = after.takes.filter((t: any) => t.fallbackReason);
    expect(moved).toHaveLength(1);
    expect(moved[0].fallbackReason).toMatch(/farm server gpu-c stopped answering/);
    expect(after.takes.filter((t: any) => t.backend === 'comfyui')).toHaveLength(shots.length);
    await expect(queue.getByText(/gpu-c stopped answering/)).toBeVisible();
    await expect(panel.getByText(/0 of 3 slots busy/)).toBeVisible();
    await expect(panel.getByRole('row', { name: 'Server gpu-c: down' })).toContainText('1 failed');
    await screenshot(page, 'farm-4-done');
    expect(JSON.stringify(after)).not.toContain(servers[0]!.url);
  } finally {
    const view = await apiCall(page, url, 'farm.view').catch(() => ({ servers: [] }));
    for (const s of view.servers) await apiCall(page, url, 'farm.remove', { id: s.id }).catch(() => undefined);
    await Promise.all(servers.map((s) => s.close()));
  }
});
