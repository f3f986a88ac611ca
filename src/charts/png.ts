import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg, renderAsync } from '@resvg/resvg-js';

/** The fonts shipped with the package (dejavu-fonts-ttf): charts look the same everywhere. */
function fontFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}

let fonts: string[] | undefined;
function options() {
  fonts ??= fontFiles();
  return {
    font: { fontFiles: fonts, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' as const },
  };
}

/** SVG to PNG off the main thread (resvg's worker pool): the event loop keeps serving. */
export async function svgToPng(svg: string): Promise<Buffer> {
  return (await renderAsync(svg, options())).asPng();
}

/** SVG to raw RGBA pixels, synchronously: for tests that check what was drawn where. */
export function svgToPixels(svg: string): { width: number; height: number; pixels: Buffer } {
  const image = new Resvg(svg, options()).render();
  return { width: image.width, height: image.height, pixels: image.pixels };
}
