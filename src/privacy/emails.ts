/** Characters that may stick to an address in running text ("<a@b.de>,", "(a@b.de)."). */
const EDGE = new Set(['<', '>', '(', ')', '[', ']', '{', '}', '"', "'", ',', ';', ':', '.', '!', '?', '«', '»', '„', '“', '”']);
const LOCAL_OK = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/i;
const LABEL_OK = /^[a-z0-9\u00c0-\u024f-]{1,63}$/i;

function trimEdges(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && EDGE.has(token[start])) start++;
  while (end > start && EDGE.has(token[end - 1])) end--;
  return token.slice(start, end);
}

/**
 * E-mail addresses written in free text, lower case, at most `max`. Token logic only (split on
 * white space, one '@', labels checked one by one): linear in the text, whatever it holds.
 */
export function emailsIn(text: string, max = 20): string[] {
  const found = new Set<string>();
  for (const raw of text.split(/\s+/)) {
    if (found.size >= max) break;
    if (raw.length > 254 || !raw.includes('@')) continue;
    const token = trimEdges(raw);
    const at = token.indexOf('@');
    if (at <= 0 || at !== token.lastIndexOf('@')) continue;
    const local = token.slice(0, at);
    const labels = token.slice(at + 1).split('.');
    if (!LOCAL_OK.test(local) || labels.length < 2 || !labels.every((l) => LABEL_OK.test(l))) continue;
    if (!/^[a-z]{2,}$/i.test(labels[labels.length - 1])) continue;
    found.add(token.toLowerCase());
  }
  return [...found];
}
