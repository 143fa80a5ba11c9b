/** Abbreviations after which a period does not end a sentence. */
const NO_BREAK = new Set(['abs', 'nr', 'ff', 'bzw', 'ca', 'vgl', 'art', 'dr', 'z', 'b', 'u', 'a', 'd', 'h', 'st', 'ggf', 'evtl', 'inkl', 'zb']);

/** Lines first (articles use one statement per line), then sentences inside a line. */
export function sentencesWithLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const line = raw.replace(/^\s*[-*]\s+/, '').trim();
    if (!line) continue;
    let start = 0;
    const re = /[.!?]\s+(?=[A-ZÄÖÜ„"(])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) {
      const before = line.slice(start, m.index);
      const lastWord = (/([\p{L}\p{N}]+)$/u.exec(before)?.[1] ?? '').toLowerCase();
      // "5. September", "Nr. 228", "§§ 54 ff. HVwVfG": a period there is no sentence end.
      if (NO_BREAK.has(lastWord) || /^\d{1,2}$/.test(lastWord)) continue;
      out.push({ text: line.slice(start, m.index + 1).trim(), line: n });
      start = m.index + m[0].length;
    }
    const rest = line.slice(start).trim();
    if (rest) out.push({ text: rest, line: n });
  }
  return out;
}
