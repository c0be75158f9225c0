/**
 * Every match of a global pattern in a text. Unlike `String.prototype.matchAll`, which copies the pattern on each
 * call (a cost that adds up over thousands of sentences × dozens of catalog names), this reuses it.
 */
export function matchesOf(pattern: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === '') pattern.lastIndex++;
    matches.push(match);
  }
  return matches;
}
