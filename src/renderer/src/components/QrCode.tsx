import { create } from 'qrcode';
import { useMemo } from 'react';

/**
 * The pairing QR as one SVG path (crisp at any size, no canvas, no innerHTML). The raw string is kept
 * in `data-qr`: what the phone reads is exactly what the page received.
 */
export function QrCode({ value, size = 264 }: { value: string; size?: number }) {
  const { path, count } = useMemo(() => {
    const qr = create(value, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    let d = '';
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        if (qr.modules.get(row, col)) d += `M${col} ${row}h1v1h-1z`;
      }
    }
    return { path: d, count: n };
  }, [value]);
  const quiet = 4;
  return (
    <svg
      className="qr"
      data-qr={value}
      role="img"
      aria-label="QR code to link WhatsApp"
      width={size}
      height={size}
      viewBox={`${-quiet} ${-quiet} ${count + quiet * 2} ${count + quiet * 2}`}
      shapeRendering="crispEdges"
    >
      <rect x={-quiet} y={-quiet} width={count + quiet * 2} height={count + quiet * 2} fill="#fff" />
      <path d={path} fill="#111b21" />
    </svg>
  );
}
