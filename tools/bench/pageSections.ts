/**
 * The parts of a page a tool writes: between `<!-- <writer> writes what follows -->` and
 * `<!-- <writer> wrote what precedes -->`, so that a run replaces its own text and leaves the
 * hand-written text around it as it is.
 */

function markers(page: string, writer: string, where: string): { start: number; end: number; startMarker: string } {
  const startMarker = `<!-- ${writer} writes what follows -->`;
  const endMarker = `<!-- ${writer} wrote what precedes -->`;
  const start = page.indexOf(startMarker);
  const end = page.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`${where} has no section for ${writer} (${startMarker} ... ${endMarker})`);
  return { start, end, startMarker };
}

/** The page with `writer`'s section replaced by `text`. */
export function withSection(page: string, writer: string, text: string, where: string): string {
  const { start, end, startMarker } = markers(page, writer, where);
  return `${page.slice(0, start + startMarker.length)}\n\n${text}\n\n${page.slice(end)}`;
}

/** What `writer`'s section of the page holds, as its last run wrote it. */
export function sectionOf(page: string, writer: string, where: string): string {
  const { start, end, startMarker } = markers(page, writer, where);
  return page.slice(start + startMarker.length, end).trim();
}
