import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';

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

/**
 * SVG to raw RGBA pixels: for tests that check what was drawn where. Asynchronous too:
 * resvg-js 2.6's synchronous `new Resvg().render()` never frees its pixels (measured: +2 MB
 * per render even after a full GC); the async path frees them when V8 collects the image.
 */
export async function svgToPixels(
  svg: string,
): Promise<{ width: number; height: number; pixels: Buffer }> {
  const image = await renderAsync(svg, options());
  return { width: image.width, height: image.height, pixels: image.pixels };
}
