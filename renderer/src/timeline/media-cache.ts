/** Images and waveform peaks loaded once per media URL, shared by storyboard cards and the timeline. One per editor (editor.media). */
import { useEffect, useState } from 'react';
import { useEditor } from '../editor/context.js';

export class MediaCache {
  private readonly images = new Map<string, HTMLImageElement>();
  private readonly peaks = new Map<string, Promise<Float32Array | null>>();

  /** The image element of `url` (started loading on first ask). */
  image(url: string): HTMLImageElement {
    let el = this.images.get(url);
    if (!el) {
      el = new Image();
      el.src = url;
      this.images.set(url, el);
    }
    return el;
  }

  /** Peak amplitude per bucket (`buckets` per second of audio) of a media file's sound, decoded by Web Audio. */
  loadPeaks(url: string, bucketsPerSecond = 50): Promise<Float32Array | null> {
    let p = this.peaks.get(url);
    if (!p) {
      p = decodePeaks(url, bucketsPerSecond);
      this.peaks.set(url, p);
    }
    return p;
  }
}

async function decodePeaks(url: string, bucketsPerSecond: number): Promise<Float32Array | null> {
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
      for (let j = i * step; j < end; j++) {
        const v = Math.abs(data[j]!);
        if (v > m) m = v;
      }
      out[i] = m;
    }
    return out;
  } catch {
    return null;
  }
}

export function useImage(url: string | undefined): HTMLImageElement | undefined {
  const { media } = useEditor();
  const [img, setImg] = useState<HTMLImageElement | undefined>(() => {
    const el = url ? media.image(url) : undefined;
    return el?.complete ? el : undefined;
  });
  useEffect(() => {
    if (!url) {
      setImg(undefined);
      return;
    }
    const el = media.image(url);
    if (el.complete) {
      setImg(el);
      return;
    }
    const done = () => setImg(el);
    el.addEventListener('load', done);
    return () => el.removeEventListener('load', done);
  }, [url, media]);
  return img;
}

export function usePeaks(url: string | undefined): Float32Array | null {
  const { media } = useEditor();
  const [value, setValue] = useState<Float32Array | null>(null);
  useEffect(() => {
    let live = true;
    if (url)
      void media.loadPeaks(url).then((v) => {
        if (live) setValue(v);
      });
    else setValue(null);
    return () => {
      live = false;
    };
  }, [url, media]);
  return value;
}
