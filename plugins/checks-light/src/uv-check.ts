/**
 * The ultraviolet check. Security paper contains no optical brighteners: under the reader's 365 nm
 * lamp it stays dull (dark), and only its fibres, planchettes and UV print light up. Ordinary
 * office paper is full of brighteners and glows blue-white all over — a common counterfeit sign.
 *
 * The paper is measured, not the printing: the page is averaged down to blocks of ~2–3 mm and the
 * median block is taken, which is paper on any data page (fibres and print cover a minority of
 * it, whether they are the bright part as on dull paper or the dark part as on glowing paper). Two
 * numbers: brightness (relative luminance 0–1) and blue share (B / (R + G + B); 1/3 is neutral).
 *
 * Limits, from the generator's renders of all five formats (the simulator draws the same pages):
 * genuine paper measures brightness 0.006 (blue share 0.58, a dark violet), brightened paper
 * 0.59–0.61 with blue share 0.39. A real lamp and camera add exposure differences, so the limits
 * leave room on both sides: brightness below 0.25 passes; from 0.25 a blue-white glow (blue share
 * ≥ 0.35) fails and any other glow warns (it may be the lamp, stray white light or the exposure —
 * the thumbnail shows which).
 */
import type { DocumentCheck, Evidence, PageImage } from '@tessera/sdk';
import { pageThumbnail } from './evidence-images.js';
import { LIGHT_FINDING_CODES } from './light-errors.js';
import { decode, pageUnder } from './page-images.js';
import { checkResult, errorResult, notChecked, type LightCheckResult } from './results.js';

export const UV_BRIGHTNESS_LIMIT = 0.25;
export const UV_BLUE_SHARE_LIMIT = 0.35;
/** Blocks across the page for the median; ~2.6 mm each on a TD3. */
const BLOCKS_ACROSS = 48;

export interface PaperGlow {
  brightness: number;
  blueShare: number;
}

/** sRGB 0–255 to linear light, for a luminance that matches what a camera sensor counts. */
function linear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export async function measurePaperGlow(page: PageImage): Promise<PaperGlow> {
  const across = Math.min(BLOCKS_ACROSS, page.width);
  const down = Math.max(1, Math.round((across * page.height) / page.width));
  const blocks = await decode(page, (image) => image.flatten({ background: '#000000' }).toColourspace('srgb').resize(across, down, { fit: 'fill', kernel: 'linear' }));
  const brightness: number[] = [];
  const blueShare: number[] = [];
  for (let i = 0; i < blocks.data.length; i += blocks.channels) {
    const [r, g, b] = blocks.channels >= 3 ? [blocks.data[i]!, blocks.data[i + 1]!, blocks.data[i + 2]!] : [blocks.data[i]!, blocks.data[i]!, blocks.data[i]!];
    brightness.push(0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b));
    blueShare.push(r + g + b ? b / (r + g + b) : 1 / 3);
  }
  return { brightness: median(brightness), blueShare: median(blueShare) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const two = (v: number) => v.toFixed(2);

export const uvDullPaperCheck: DocumentCheck = {
  id: 'light.uv-dull-paper',
  title: 'Paper dull under ultraviolet',
  category: 'light',
  async run(context): Promise<LightCheckResult> {
    try {
      const uv = pageUnder(context.scan, 'uv', pageUnder(context.scan, 'white'));
      if (!uv) return notChecked('The reader delivered no ultraviolet image.');
      const glow = await measurePaperGlow(uv);
      const dull = glow.brightness < UV_BRIGHTNESS_LIMIT;
      const evidence: Evidence[] = [
        await pageThumbnail(uv, `Page under ultraviolet — paper brightness ${two(glow.brightness)} (limit ${two(UV_BRIGHTNESS_LIMIT)})`),
        { kind: 'field', label: 'Paper brightness under UV (0 dark – 1 white)', value: two(glow.brightness), expected: `< ${two(UV_BRIGHTNESS_LIMIT)}`, ok: dull },
        { kind: 'field', label: 'Blue share of the paper glow (0.33 neutral)', value: two(glow.blueShare) },
      ];
      if (dull) return checkResult('pass', 'The paper stays dull under ultraviolet, as security paper does.', [], evidence);
      if (glow.blueShare >= UV_BLUE_SHARE_LIMIT) {
        const finding = { code: 'LIGHT_UV_PAPER_BRIGHT', message: `${LIGHT_FINDING_CODES.LIGHT_UV_PAPER_BRIGHT} Brightness ${two(glow.brightness)}, blue share ${two(glow.blueShare)}.` };
        return checkResult('fail', 'The paper glows blue-white under ultraviolet: ordinary paper with optical brighteners.', [finding], evidence);
      }
      const finding = { code: 'LIGHT_UV_PAPER_LIT', message: `${LIGHT_FINDING_CODES.LIGHT_UV_PAPER_LIT} Brightness ${two(glow.brightness)}, blue share ${two(glow.blueShare)}.` };
      return checkResult('warning', 'The paper is bright under ultraviolet, but not blue-white; check the lamp and the image.', [finding], evidence);
    } catch (error) {
      return errorResult(error);
    }
  },
};
