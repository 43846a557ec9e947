// WCAG 2 text contrast, measured in the page from computed colours: every visible text node against the
// backgrounds painted under it (ancestors' colours composited, gradients at their worst stop, opacity
// applied). Kept as a script string so the bundler's helpers never leak into the page.

export interface ContrastProblem {
  text: string;
  element: string;
  color: string;
  background: string;
  ratio: number;
  needed: number;
}

/** For `page.evaluate(contrastProblems)`: the text under its minimum (4.5:1, or 3:1 for large text). */
export const contrastProblems = `(() => {
  const parse = (value) => {
    let m = /rgba?\\(([^)]+)\\)/.exec(value);
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = /color\\(srgb ([^)]+)\\)/.exec(value);
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const lum = (c) => {
    const ch = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const gradientStops = (image) =>
    (image.match(/(rgba?\\([^)]+\\)|color\\(srgb [^)]+\\))/g) || []).map(parse).filter(Boolean);
  /** The backgrounds under el, bottom-most first, each a list of candidate colours. */
  const backgrounds = (el) => {
    const layers = [];
    let opacity = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      opacity *= Number(style.opacity);
      const stops = style.backgroundImage !== 'none' ? gradientStops(style.backgroundImage) : [];
      if (stops.length > 0) layers.unshift(stops);
      else {
        const colour = parse(style.backgroundColor);
        if (colour && colour[3] > 0) layers.unshift([colour]);
      }
    }
    return { layers, opacity };
  };
  const describe = (el) =>
    el.tagName.toLowerCase() + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const problems = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el) continue;
    if (el.closest('[aria-hidden="true"], :disabled, [aria-disabled="true"], script, style, option, noscript')) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue; // not drawn, or visually hidden for screen readers
    const { layers, opacity } = backgrounds(el);
    if (opacity === 0) continue;
    // Every combination of gradient stops: the worst one counts.
    let unders = [[255, 255, 255, 1]];
    for (const layer of layers) unders = unders.flatMap((u) => layer.map((c) => over(c, u)));
    const fg = parse(style.color);
    if (!fg) continue;
    let worst = Infinity;
    let worstBg = null;
    for (const bg of unders) {
      const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
      const r = ratio(shown, bg);
      if (r < worst) [worst, worstBg] = [r, bg];
    }
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (worst + 0.005 >= needed) continue;
    const key = describe(el) + style.color + String(worstBg);
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({
      text: text.slice(0, 40),
      element: describe(el),
      color: style.color,
      background: 'rgb(' + worstBg.slice(0, 3).map(Math.round).join(', ') + ')',
      ratio: Math.round(worst * 100) / 100,
      needed,
    });
  }
  return problems;
})()`;
