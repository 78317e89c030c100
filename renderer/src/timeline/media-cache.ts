/** Images and waveform peaks loaded once per media hash, shared by storyboard cards and the timeline. */
import { useEffect, useState } from 'react';

const images = new Map<string, HTMLImageElement>();
const peaks = new Map<string, Promise<Float32Array | null>>();

export function useImage(url: string | undefined): HTMLImageElement | undefined {
  const [img, setImg] = useState<HTMLImageElement | undefined>(() => (url ? images.get(url) : undefined));
  useEffect(() => {
    if (!url) { setImg(undefined); return; }
    const cached = images.get(url);
    if (cached?.complete) { setImg(cached); return; }
    const el = cached ?? new Image();
    if (!cached) { el.src = url; images.set(url, el); }
    const done = () => setImg(el);
    el.addEventListener('load', done);
    return () => el.removeEventListener('load', done);
  }, [url]);
  return img;
}

/** Peak amplitude per bucket (`buckets` per second of audio) of a media file's sound, decoded by Web Audio. */
export function loadPeaks(url: string, bucketsPerSecond = 50): Promise<Float32Array | null> {
  let p = peaks.get(url);
  if (!p) {
    p = (async () => {
      try {
        const buf = await (await fetch(url)).arrayBuffer();
        const ctx = new OfflineAudioContext(1, 1, 48000);
        const audio = await ctx.decodeAudioData(buf);
        const data = audio.getChannelData(0);
        const step = Math.max(1, Math.floor(audio.sampleRate / bucketsPerSecond));
        const out = new Float32Array(Math.ceil(data.length / step));
        for (let i = 0; i < out.length; i++) {
          let m = 0;
          const end = Math.min(data.length, (i + 1) * step);
          for (let j = i * step; j < end; j++) { const v = Math.abs(data[j]!); if (v > m) m = v; }
          out[i] = m;
        }
        return out;
      } catch {
        return null;
      }
    })();
    peaks.set(url, p);
  }
  return p;
}

export function usePeaks(url: string | undefined): Float32Array | null {
  const [value, setValue] = useState<Float32Array | null>(null);
  useEffect(() => {
    let live = true;
    if (url) void loadPeaks(url).then((v) => { if (live) setValue(v); });
    else setValue(null);
    return () => { live = false; };
  }, [url]);
  return value;
}
