/** Where the image content sits inside the network input (letterbox leaves margins). */
export interface Placement {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function placeImage(imageW: number, imageH: number, netW: number, netH: number, mode: 'stretch' | 'letterbox'): Placement {
  if (mode === 'stretch') return { x: 0, y: 0, w: netW, h: netH };
  const scale = Math.min(netW / imageW, netH / imageH);
  const w = Math.max(1, Math.min(netW, Math.round(imageW * scale)));
  const h = Math.max(1, Math.min(netH, Math.round(imageH * scale)));
  return { x: Math.floor((netW - w) / 2), y: Math.floor((netH - h) / 2), w, h };
}
