import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface PanelAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Beside the compiled code: scripts/build.sh copies libs/panel/assets to dist/libs/panel/assets. */
const OWN_ASSETS = path.resolve(__dirname, '..', 'assets');

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * Every file the panel's pages load, read once at start: its own stylesheet and script, and
 * htmx and uPlot from node_modules at the versions package.json pins (never from a CDN).
 */
export function loadPanelAssets(): ReadonlyMap<string, PanelAsset> {
  const own = OWN_ASSETS;
  const files: Array<[string, string, string]> = [
    ['panel.css', path.join(own, 'panel.css'), CSS],
    ['panel.js', path.join(own, 'panel.js'), JS],
    ['htmx.min.js', require.resolve('htmx.org/dist/htmx.min.js'), JS],
    ['uplot.min.js', require.resolve('uplot/dist/uPlot.iife.min.js'), JS],
    ['uplot.min.css', require.resolve('uplot/dist/uPlot.min.css'), CSS],
  ];
  const assets = new Map<string, PanelAsset>();
  for (const [name, file, contentType] of files) {
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { body, contentType, etag });
  }
  return assets;
}
