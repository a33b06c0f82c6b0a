/**
 * "Did you mean …?" for option names. A typo such as `allowedOrigin` would otherwise only show up
 * as every cross-origin POST failing with csrf_rejected, far from its cause.
 */

/** Edit distance (insert, delete, substitute), ignoring case: `apikey` is `apiKey` misspelt. */
function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}

/**
 * The candidate whose last dotted segment is nearest to `name`, or undefined when none is near
 * enough to be a plausible typo (a third of the name's length, at least 2 edits). Candidates may
 * be dotted (`heim.apiKey`), so an option given at the wrong level still finds its place.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate.slice(candidate.lastIndexOf('.') + 1));
    if (distance <= tolerance && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
