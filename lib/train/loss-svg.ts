/** A small inline SVG line chart of the loss curve, for the live notebook display (no plotting library). */

/** Renders `points` ([step, loss]) as a `width`×`height` SVG polyline with min/max labels. */
export function lossCurveSvg(points: ReadonlyArray<readonly [number, number]>, width = 360, height = 120): string {
  const finite = points.filter(([, y]) => Number.isFinite(y));
  if (finite.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>`;
  const pad = 24;
  const xs = finite.map(([x]) => x);
  const ys = finite.map(([, y]) => y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (y: number) => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const path = finite.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="10">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${path}"/>`,
    `<text x="2" y="${pad - 6}">${y1.toPrecision(4)}</text>`,
    `<text x="2" y="${height - 4}">${y0.toPrecision(4)}</text>`,
    `<text x="${width - pad}" y="${height - 4}" text-anchor="end">step ${x1}</text>`,
    '</svg>',
  ].join('');
}
