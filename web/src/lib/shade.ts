// The shade of a confusion-matrix cell: the accent blue over white by the cell's
// share of its row, with a text colour that stays readable on it.

const ACCENT = [31, 79, 209];
const DARK_TEXT = "#1b2233";
const LIGHT_TEXT = "#ffffff";

/** Background and text colour for a share in [0, 1] of a row. Light cells carry dark
 * text and dark cells white text; shares skip the middle band of blues on which
 * neither text colour would reach the 4.5:1 contrast WCAG asks for. */
export function shade(share: number): { background: string; text: string } {
  const s = Math.min(1, Math.max(0, share));
  const light = s <= 0.5;
  const alpha = light ? 0.06 + s * 1.2 : 0.84 + (s - 0.5) * 0.32;
  const [r, g, b] = ACCENT.map((c) => Math.round(255 - alpha * (255 - c)));
  return { background: `rgb(${r}, ${g}, ${b})`, text: light ? DARK_TEXT : LIGHT_TEXT };
}

/** WCAG contrast ratio of two colours given as `rgb(r, g, b)` or `#rrggbb`. */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function luminance(colour: string): number {
  const channels = colour.startsWith("#")
    ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
    : (colour.match(/\d+/g) ?? []).map(Number);
  const [r = 0, g = 0, b = 0] = channels.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
