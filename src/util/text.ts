/** Text cut for a message: a log line, an error, an answer of 400. */

/**
 * `text` on one line (runs of white space, line breaks included, become one space), cut to `max`
 * characters with an ellipsis: a client's or LibreNMS's text never spans lines or grows a message
 * without bound.
 */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
